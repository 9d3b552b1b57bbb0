// `npm run schema`: writes schema.graphql (the repository root, or the path given) from the type-graphql classes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { schemaText } from './schema/build-schema';

async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'schema.graphql'));
  writeFileSync(target, await schemaText());
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
