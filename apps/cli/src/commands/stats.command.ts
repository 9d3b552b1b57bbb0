// `eior stats --dataset NAME`: users, items, interactions per split and modalities, read from the graph.
import type { Command } from 'commander';
import { datasetStats } from '@eior/graph';
import { loadConfig } from '../config';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { splitLine } from './ingest.command';

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description('Print what the graph holds for a dataset: users, items, interactions per split, modalities')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: { dataset: string; json: boolean }) => {
      const s = await withGraph(loadConfig(), (client) => datasetStats(client, opts.dataset));
      report(
        opts.json,
        [
          `dataset ${s.dataset}`,
          `  users        ${s.users}`,
          `  items        ${s.items}`,
          `  interactions ${s.interactions.total} (train ${s.interactions.train}, valid ${s.interactions.valid}, test ${s.interactions.test})`,
          `  events       ${s.events} (${s.repeats} repeat a pair; policy ${s.repeatPolicy})`,
          `  split        ${splitLine(s)}`,
          ...s.modalities.map((m) => `  modality     ${m.name}: width ${m.width}, ${m.dtype}, ${m.items} items${m.absent ? `, absent for ${m.absent}` : ''}`),
        ],
        s as unknown as Record<string, unknown>,
      );
    });
}
