// `eior api-key create|list|revoke`: API keys for the GraphQL API, stored hashed in the state folder. A key is
// printed once, at creation.
import type { Command } from 'commander';
import { createApiKey, loadApiConfig, readKeys, revokeApiKey } from '@eior/api';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { report } from '../output';

export function registerApiKeyCommand(program: Command): void {
  const keys = program.command('api-key').description('Manage API keys (needed for mutations, and for everything with EIOR_API_AUTH=all)');
  const file = () => loadApiConfig(loadConfig().stateDir).apiKeysFile;
  keys
    .command('create')
    .description('Create a key and print it (the only time it is shown; only its hash is stored)')
    .requiredOption('--name <name>', 'a name for the key (letters, digits, _ . -)')
    .option('--datasets <names>', 'only these datasets, separated by commas (default: all)')
    .option('--json', 'print the key as JSON on the last line of stdout', false)
    .action(async (opts: { name: string; datasets?: string; json: boolean }) => {
      const datasets = opts.datasets === undefined ? undefined : opts.datasets.split(',').map((d) => d.trim()).filter((d) => d !== '');
      const created = await createApiKey(file(), opts.name, datasets).catch((err: Error) => {
        throw new CliError(err.message);
      });
      const scope = datasets ? `datasets ${datasets.join(', ')}` : 'all datasets';
      report(opts.json, [`API key "${opts.name}" (${scope}): ${created.key}`, 'send it as `Authorization: Bearer <key>`; it is not shown again'], { name: opts.name, key: created.key, datasets: datasets ?? null });
    });
  keys
    .command('list')
    .description('List the keys (names, prefixes, creation times)')
    .option('--json', 'print JSON on the last line of stdout', false)
    .action(async (opts: { json: boolean }) => {
      const stored = await readKeys(file());
      report(opts.json, stored.length ? stored.map((k) => `${k.name}  ${k.prefix}…  created ${k.createdAt}  ${k.datasets ? `datasets ${k.datasets.join(', ')}` : 'all datasets'}`) : ['no API keys'], { keys: stored.map(({ sha256: _hash, ...k }) => k) });
    });
  keys
    .command('revoke')
    .description('Remove a key by name')
    .requiredOption('--name <name>', 'the key to remove')
    .action(async (opts: { name: string }) => {
      if (!(await revokeApiKey(file(), opts.name))) throw new CliError(`there is no API key named ${JSON.stringify(opts.name)}`);
      report(false, [`API key "${opts.name}" revoked`], {});
    });
}
