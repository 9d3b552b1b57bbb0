// Lint with the boundary rules of the house style: libs never import each other or apps; libs/model knows
// nothing of Neo4j, GraphQL, HTTP or the environment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const appImports = { group: ['**/apps/**', '@eior/cli', '@eior/api', '@eior/web'], message: 'libs never import apps.' };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.next/**', 'libs/graph/launcher/**', '.eior/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['libs/graph/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [appImports, { group: ['@eior/model', '**/libs/model/**'], message: 'libs/graph and libs/model never import each other: share plain typed arrays.' }],
      }],
    },
  },
  {
    files: ['libs/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'neo4j-driver', message: 'libs/model knows nothing of Neo4j.' },
          { name: 'graphql', message: 'libs/model knows nothing of GraphQL.' },
          { name: 'node:http', message: 'libs/model knows nothing of HTTP.' },
          { name: 'http', message: 'libs/model knows nothing of HTTP.' },
          { name: 'node:https', message: 'libs/model knows nothing of HTTP.' },
        ],
        patterns: [appImports, { group: ['@eior/graph', '**/libs/graph/**'], message: 'libs/graph and libs/model never import each other.' }, { group: ['@apollo/*', 'type-graphql'], message: 'libs/model knows nothing of GraphQL.' }],
      }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'libs/model never reads the environment: take a config.' }],
    },
  },
);
