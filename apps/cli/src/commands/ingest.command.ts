// `eior ingest --dataset NAME --dir DIR`: validate an MMRec folder, then write it into the graph.
import path from 'node:path';
import type { Command } from 'commander';
import { ingestDataset, type IngestResult } from '@eior/graph';
import { loadConfig } from '../config';
import { withGraph } from '../graph-session';
import { progressBar, report, type Progress } from '../output';
import { parseIntegerOption } from './options';

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('Read an MMRec dataset folder (<name>.inter + <modality>_feat.npy) into the graph, idempotently')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .requiredOption('--dir <dir>', 'folder with <name>.inter and <modality>_feat.npy files')
    .option('--replace', 'replace a dataset of the same name that was ingested from other files', false)
    .option('--batch-size <n>', 'rows per write transaction (1..100000)', '10000')
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: { dataset: string; dir: string; replace: boolean; batchSize: string; json: boolean }) => {
      const config = loadConfig();
      const batchSize = parseIntegerOption('--batch-size', opts.batchSize, 1, 100_000);
      const bars = new StageBars();
      const result = await withGraph(config, (client) =>
        ingestDataset(client, {
          dataset: opts.dataset,
          dir: path.resolve(opts.dir),
          replace: opts.replace,
          batchSize,
          onPrepare: (stage, done, total) => bars.update(stage, done, total),
          onWrite: (stage, done, total) => bars.update(`write ${stage}`, done, total),
        }),
      ).finally(() => bars.stop());
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      report(opts.json, [...ingestSummary(result), `  peak memory  ${peakRssMb} MB (this process)`], { ...result, peakRssMb });
    });
}

/** One progress bar per stage, replaced when the stage changes. */
export class StageBars {
  private stage = '';
  private bar: Progress | undefined;

  update(stage: string, done: number, total: number): void {
    if (stage !== this.stage) {
      this.bar?.stop();
      this.stage = stage;
      this.bar = progressBar(stage.padEnd(20), total, stage.startsWith('read interactions') ? 'bytes' : 'rows');
    }
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** What a person reads after an ingest. */
export function ingestSummary(r: IngestResult): string[] {
  const verb = { ingested: 'ingested', resumed: 'finished an interrupted ingest of', unchanged: 'already holds', replaced: 'replaced' }[r.outcome];
  return [
    `${verb} dataset '${r.dataset}' (fingerprint ${r.fingerprint.slice(0, 12)})`,
    `  users        ${r.users}`,
    `  items        ${r.items}`,
    `  interactions ${r.interactions.total} (train ${r.interactions.train}, valid ${r.interactions.valid}, test ${r.interactions.test})`,
    `  modalities   ${r.modalities.map((m) => `${m.name} ${m.width} (${m.dtype})`).join(', ') || 'none'}`,
    `  time         ${r.seconds.total.toFixed(1)} s (read and validate ${r.seconds.read.toFixed(1)} s, write ${r.seconds.write.toFixed(1)} s)`,
    ...(r.outcome === 'unchanged' ? [] : [`  throughput   ${Math.round(r.interactionsPerSecond)} interactions/s written`]),
  ];
}
