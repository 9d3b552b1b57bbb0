// graphql-codegen: TypeScript types for the dashboard's operations (the /* GraphQL */ strings in src/queries),
// checked against the API's committed schema. Run with `npm run codegen -w @eior/web`; commit the output.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/queries/**/*.ts'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-operations'],
      config: {
        // Only the types the operations use, as string unions rather than runtime enums.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        skipTypename: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: {
          JSONObject: { input: 'Record<string, unknown>', output: 'Record<string, unknown>' },
          DateTimeISO: { input: 'string', output: 'string' },
        },
      },
    },
  },
};

export default config;
