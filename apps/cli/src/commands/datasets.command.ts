// `eior datasets list` and `eior datasets delete NAME --yes`: the data's life cycle, so that test and trial datasets
// do not pile up. Delete removes the dataset's nodes and relationships (users, items, modalities, interactions,
// feedback, model runs, environments), its model versions on disk and its rows in an external BI PostgreSQL; it
// refuses while an `eior serve` of this machine is running unless told (--even-if-served).
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { BI_TABLES, loadApiConfig, openExternalBiStore } from '@eior/api';
import { datasetStats, dropDataset, listDatasetSummaries, requireDataset } from '@eior/graph';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { runningServers } from '../serve/serving-registry';
import { artifactRoot } from '../training/artifact-root';

export function registerDatasetsCommand(program: Command): void {
  const datasets = program.command('datasets').description('List the datasets in the graph, or delete one');
  datasets
    .command('list')
    .description('Every dataset in the graph with its status and counts')
    .option('--json', 'print the list as one JSON object on the last line of stdout', false)
    .action(async (opts: { json: boolean }) => {
      const list = await withGraph(loadConfig(), (client) => listDatasetSummaries(client));
      report(
        opts.json,
        list.length === 0
          ? ['no datasets (ingest one with `eior ingest`)']
          : list.map((d) =>
              `${d.name.padEnd(24)} ${d.status.padEnd(10)} ${d.users} users, ${d.items} items, ` +
              `${d.interactions.train + d.interactions.valid + d.interactions.test} interactions, ${d.feedback} feedback, ` +
              `modalities ${d.modalities.map((m) => m.name).join(', ') || 'none'}${d.ingestedAt ? `, ingested ${d.ingestedAt.slice(0, 19)}` : ''}`,
            ),
        { datasets: list },
      );
    });
  datasets
    .command('delete <name>')
    .description("Delete a dataset: its nodes, feedback, model runs and versions, and BI rows (asks for --yes)")
    .option('--yes', 'really delete it', false)
    .option('--even-if-served', 'delete it although an `eior serve` of this machine is running', false)
    .option('--json', 'print what was deleted as one JSON object on the last line of stdout', false)
    .action(async (name: string, opts: { yes: boolean; evenIfServed: boolean; json: boolean }) => {
      const config = loadConfig();
      const servers = runningServers(config.stateDir);
      if (servers.length > 0 && !opts.evenIfServed) {
        throw new CliError(`an API is serving this machine's datasets (pid ${servers.map((s) => `${s.pid} at ${s.url}`).join(', ')}): stop it first, or pass --even-if-served`);
      }
      const deleted = await withGraph(config, async (client) => {
        const before = await datasetStats(client, name).catch(async () => {
          await requireDataset(client, name).catch((err: Error) => {
            if (!/only partly ingested/.test(err.message)) throw err; // a half-ingested dataset may be deleted too
          });
          return null;
        });
        if (!opts.yes) {
          const what = before ? `${before.users} users, ${before.items} items and ${before.interactions.total} interactions` : 'a partly ingested dataset';
          throw new CliError(`deleting dataset '${name}' removes ${what}, its feedback, model runs and versions, and its BI rows: pass --yes to delete it`);
        }
        await dropDataset(client, name);
        return before;
      });
      rmSync(artifactRoot(config, name), { recursive: true, force: true });
      const api = loadApiConfig(config.stateDir);
      let biRows = 'none to delete (the embedded BI database is rebuilt from the graph at every start)';
      if (api.bi.enabled && api.bi.postgresUrl) {
        const store = await openExternalBiStore(api.bi.postgresUrl);
        try {
          for (const table of BI_TABLES) await store.replaceRows(table.name, name, []);
          biRows = `deleted from ${BI_TABLES.length} tables of EIOR_BI_POSTGRES_URL`;
        } finally {
          await store.close();
        }
      }
      report(opts.json, [`deleted dataset '${name}'${deleted ? ` (${deleted.users} users, ${deleted.items} items, ${deleted.interactions.total} interactions)` : ''}`, `  model versions  ${artifactRoot(config, name)} removed`, `  BI rows         ${biRows}`], {
        dataset: name,
        deleted: true,
        users: deleted?.users ?? null,
        items: deleted?.items ?? null,
        interactions: deleted?.interactions.total ?? null,
      });
    });
}
