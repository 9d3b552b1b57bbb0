// The dashboard's generated GraphQL types are what codegen makes from the committed schema.graphql and the
// dashboard's operations: a schema change that breaks a query, or a forgotten `npm run codegen -w @eior/web`,
// fails here rather than in a browser.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';

const WEB = path.resolve(__dirname, '..', '..', 'apps', 'web');

describe('apps/web generated types', () => {
  it('match what codegen emits from schema.graphql and the queries', async () => {
    const cwd = process.cwd();
    process.chdir(WEB); // codegen.ts names its paths relative to apps/web
    try {
      const { default: config } = await import(path.join(WEB, 'codegen.ts'));
      const [output] = await generate({ ...config, silent: true }, false);
      expect(readFileSync(path.join(WEB, output.filename), 'utf8')).toBe(output.content);
    } finally {
      process.chdir(cwd);
    }
  });
});
