// `eior ingest --dataset NAME --dir DIR`: validate an MMRec folder, then write it into the graph.
import path from 'node:path';
import type { Command } from 'commander';
import {
  appendEvents, BULK_MODES, DEFAULT_APPEND_BATCH, DEFAULT_APPEND_WRITERS, DEFAULT_INGEST_BATCH, GraphClient, ingestDataset, REPEAT_POLICIES,
  type AppendResult, type BulkMode, type BulkTarget, type IngestResult, type RepeatPolicy,
} from '@eior/graph';
import type { CliConfig } from '../config';
import { loadConfig } from '../config';
import { withGraph } from '../graph-session';
import { progressBar, report, say, type Progress } from '../output';
import { runningServers } from '../serve/serving-registry';
import { parseChoiceOption, parseIntegerOption } from './options';
import { collect, eventsInput, type EventFlags } from './ingest-input';
import { CliError } from '../errors';
import { limitHeapGrowth } from '../heap-growth';

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('Read an MMRec folder (<name>.inter + <modality>_feat.npy) or an events file (CSV, TSV, Parquet) into the graph, idempotently')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .option('--dir <dir>', 'MMRec folder with <name>.inter and <modality>_feat.npy files')
    .option('--events <file>', 'events file: .csv, .tsv or .parquet with user and item columns, optional timestamp, rating, weight, split')
    .option('--format <f>', 'format of --events when its extension does not say: csv, tsv or parquet')
    .option('--user-col <name>', 'column of the user id in --events (default user)')
    .option('--item-col <name>', 'column of the item id (default item)')
    .option('--timestamp-col <name>', 'column of the time: Unix seconds or ISO 8601 (default timestamp, optional)')
    .option('--rating-col <name>', 'column of the rating (default rating, optional)')
    .option('--weight-col <name>', 'column of the event weight (default weight, optional)')
    .option('--split-col <name>', 'column of the split: train, valid, test or 0, 1, 2 (default split; without one a split is made)')
    .option('--event-id-col <name>', "column of the events' own ids: an append skips an event whose id is already in its pair (instead of one whose content is)")
    .option('--features <modality=file>', 'item features keyed by item id: .npy (with --item-ids) or .csv/.tsv/.parquet; repeatable', collect, [])
    .option('--item-ids <modality=file>', 'item ids of a .npy feature file, one per row; repeatable', collect, [])
    .option('--feature-id-col <name>', 'item-id column of feature tables (default item)')
    .option('--seed <n>', 'seed of the random per-user split made when the events have no split and no times', '1')
    .option('--append', 'add the events of --events (new users and items too) to an ingested dataset; events already in it are skipped', false)
    .option('--replace', 'replace a dataset of the same name that was ingested from other files', false)
    .option('--repeats <policy>', 'repeated (user, item) events: first (one pair, earliest event\'s time and split), last, or refuse', 'first')
    .option('--batch-size <n>', `rows per write transaction (1..100000; default ${DEFAULT_INGEST_BATCH}, ${DEFAULT_APPEND_BATCH} with --append)`)
    .option('--writers <n>', 'with --append: batches of pairs written at once, each in a transaction of its own (1..16)', String(DEFAULT_APPEND_WRITERS))
    .option('--bulk <mode>', "first ingest into an empty database of the project's own Neo4j with Neo4j's offline importer: auto (from 500000 pairs), on (any size) or off", 'auto')
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: { dataset: string; dir?: string; append: boolean; replace: boolean; repeats: string; batchSize?: string; writers: string; bulk: string; json: boolean } & EventFlags) => {
      const config = loadConfig();
      limitHeapGrowth();
      if ((opts.dir === undefined) === (opts.events === undefined)) {
        throw new CliError('expected either --dir (an MMRec folder) or --events (an events file), not both or neither');
      }
      const batchSize = opts.batchSize === undefined ? undefined : parseIntegerOption('--batch-size', opts.batchSize, 1, 100_000);
      const writers = parseIntegerOption('--writers', opts.writers, 1, 16);
      const repeats = parseChoiceOption<RepeatPolicy>('--repeats', opts.repeats, REPEAT_POLICIES);
      const bulkMode = parseChoiceOption<BulkMode>('--bulk', opts.bulk, BULK_MODES);
      const input = opts.dir !== undefined ? { dir: path.resolve(opts.dir) } : { events: eventsInput(opts) };
      const bars = new StageBars();
      if (opts.append) {
        if (!input.events) throw new CliError('--append adds an events file: expected --events FILE, not --dir');
        const appended = await withGraph(config, (client) =>
          appendEvents(client, {
            dataset: opts.dataset,
            events: input.events,
            batchSize,
            writers,
            onPrepare: (stage, done, total) => bars.update(stage, done, total),
            onWrite: (stage, done, total) => bars.update(`write ${stage}`, done, total),
          }),
        ).finally(() => bars.stop());
        const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
        report(opts.json, [...appendSummary(appended), `  peak memory  ${peakRssMb} MB (this process)`], { ...appended, peakRssMb });
        return;
      }
      const result = await withGraph(config, (client) =>
        ingestDataset(client, {
          dataset: opts.dataset,
          ...input,
          replace: opts.replace,
          repeats,
          batchSize,
          bulk: bulkTarget(config, bulkMode, opts.json),
          onPrepare: (stage, done, total) => bars.update(stage, done, total),
          onWrite: (stage, done, total) => bars.update(`write ${stage}`, done, total),
        }),
      ).finally(() => bars.stop());
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      report(opts.json, [...ingestSummary(result), `  peak memory  ${peakRssMb} MB (this process)`], { ...result, peakRssMb });
    });
}

/** The project's own server for a bulk import, or none (NEO4J_URI); the import itself decides whether it may run. */
function bulkTarget(config: CliConfig, mode: BulkMode, json: boolean): BulkTarget {
  const servers = runningServers(config.stateDir);
  return {
    mode,
    server: config.neo4j.external ? undefined : config.localNeo4j,
    blocker: servers.length > 0 ? `an API serves this machine's Neo4j (pid ${servers.map((s) => s.pid).join(', ')}), which a bulk import would stop` : null,
    connect: (uri) => GraphClient.connect({ ...config.neo4j, uri }),
    onStep: json ? undefined : (line) => say(`  bulk import: ${line}`),
  };
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
    `  events       ${r.events} (${r.repeats} repeat a pair; policy ${r.repeatPolicy})${r.repeatedIds ? `; ${r.repeatedIds} lines repeated an event id and were read once` : ''}`,
    `  split        ${splitLine(r)}`,
    ...(r.splitConflicts.pairs > 0
      ? [`  conflicts    ${r.splitConflicts.pairs} pairs had events in more than one split: ${r.splitConflicts.rule} ` +
          `(to train ${r.splitConflicts.resolvedTo.train}, valid ${r.splitConflicts.resolvedTo.valid}, test ${r.splitConflicts.resolvedTo.test})`]
      : []),
    `  modalities   ${r.modalities.map((m) => `${m.name} ${m.width} (${m.dtype}${m.absent ? `, absent for ${m.absent} items` : ''})`).join(', ') || 'none'}`,
    `  time         ${r.seconds.total.toFixed(1)} s (read and validate ${r.seconds.read.toFixed(1)} s, write ${r.seconds.write.toFixed(1)} s)`,
    ...(r.outcome === 'unchanged' ? [] : [`  throughput   ${Math.round(r.interactionsPerSecond)} interactions/s written`]),
    ...(r.writePath ? [`  write path   ${r.writePath.reason}`] : []),
    ...(r.writePath?.importerPeakRssMb ? [`  importer     peak memory ${r.writePath.importerPeakRssMb} MB (Neo4j's importer, a JVM of its own)`] : []),
  ];
}

/** What a person reads after an append. */
export function appendSummary(r: AppendResult): string[] {
  const verb = { appended: 'appended to', resumed: 'finished an interrupted append to', unchanged: 'already holds these events:' }[r.outcome];
  return [
    `${verb} dataset '${r.dataset}' (fingerprint ${r.previousFingerprint.slice(0, 12)} -> ${r.fingerprint.slice(0, 12)})`,
    `  events       ${r.events} read, ${r.added} added, ${r.duplicates} already in the graph`,
    `  new          ${r.newUsers} users, ${r.newItems} items, ${r.newPairs} pairs (without a split label: train)`,
    ...(r.conflicts > 0 ? [`  conflicts    ${r.conflicts} pairs already in a split got events labelled with another: each keeps its split`] : []),
    `  time         ${r.seconds.total.toFixed(1)} s (read and validate ${r.seconds.read.toFixed(1)} s, write ${r.seconds.write.toFixed(1)} s)`,
    ...(r.outcome === 'unchanged' ? [] : [`  throughput   ${Math.round(r.eventsPerSecond)} events/s`]),
  ];
}

/** Which split the data has: the input's, or the one made at ingest. */
export function splitLine(r: { split: { made: string; seed?: number } }): string {
  if (r.split.made === 'input') return "from the input's split column";
  if (r.split.made === 'temporal') return 'made at ingest: temporal per user (latest pairs test, the ones before valid)';
  return `made at ingest: random per user, seed ${r.split.seed}`;
}
