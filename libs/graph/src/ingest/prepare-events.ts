// Reads an events file (CSV, TSV or Parquet) and item features keyed by item id, and validates them, so bad input
// is refused before anything is written: the same prepared shape as an MMRec folder gives, ready for the writer.
import path from 'node:path';
import { GraphError } from '../errors';
import { makeSplit } from './auto-split';
import { collapseEvents, DEFAULT_REPEAT_POLICY } from './collapse-events';
import { DEFAULT_EVENT_COLUMNS, EventSink, type EventColumns, type EventRole } from './event-sink';
import { eventFormat, readTable, type EventFormat } from './events-file';
import { denseIndexes, tokensByIndex } from './id-map';
import { readKeyedFeatures, type FeatureSource } from './keyed-features';
import { countSplits, fingerprintFiles, preparedEvents, validateDatasetName, type PreparedDataset, type PreparedModality, type PrepareOptions } from './prepare';

export interface EventsInput {
  file: string;
  format?: EventFormat;
  /** Column names the person gave (each must exist); the others default to DEFAULT_EVENT_COLUMNS. */
  columns?: Partial<EventColumns>;
  features?: FeatureSource[];
  /**
   * Column of the events' own ids: an append then skips an event whose id its pair already holds (instead of one
   * whose content it holds), and an id twice in a file is one event (refused when the two differ).
   */
  eventIdColumn?: string;
  /** Seed of the random split made when the events have neither a split column nor times (default 1). */
  seed?: number;
}

export const DEFAULT_SPLIT_SEED = 1;

export async function prepareEvents(name: string, input: EventsInput, options: PrepareOptions = {}): Promise<PreparedDataset> {
  const { onProgress } = options;
  const policy = options.policy ?? DEFAULT_REPEAT_POLICY;
  const seed = input.seed ?? DEFAULT_SPLIT_SEED;
  validateDatasetName(name);
  const format = eventFormat(input.file, input.format);
  const fileName = path.basename(input.file);
  const columns: EventColumns = { ...DEFAULT_EVENT_COLUMNS, ...input.columns };
  const sink = new EventSink(fileName, columns, new Set(Object.keys(input.columns ?? {}) as EventRole[]), input.eventIdColumn);
  const bytes = await readTable(input.file, format, sink, (done, total) => onProgress?.('read interactions', done, total));
  const rows = sink.rows(bytes);

  const userDense = denseIndexes(rows.userTokens);
  const itemDense = denseIndexes(rows.itemTokens);
  for (let r = 0; r < rows.count; r++) {
    rows.users[r] = userDense[rows.users[r]];
    rows.items[r] = itemDense[rows.items[r]];
  }
  const userIds = tokensByIndex(rows.userTokens, userDense);
  const itemIds = tokensByIndex(rows.itemTokens, itemDense);
  const locate = format === 'parquet' ? (e: number) => `row ${e + 1}` : undefined;
  const collapsed = collapseEvents(rows, userIds.length, policy, {
    file: fileName,
    // CSV lines were counted by the parser; without multi-line quoted fields, event e is on line e + 2.
    locate: locate ?? ((e) => `line ${e + 2}`),
    userIds,
    itemIds,
  });
  const split = rows.splitGiven ? { made: 'input' as const } : makeSplit(collapsed.pairs, seed);

  const modalities: PreparedModality[] = [];
  const itemIndex = new Map(itemIds.map((id, idx) => [id, idx]));
  const features = input.features ?? [];
  for (const [k, f] of features.entries()) {
    const twin = features.findIndex((g) => g.modality === f.modality);
    if (twin !== k) throw new GraphError('BAD_USER_INPUT', `${f.file} and ${features[twin].file} both give the ${f.modality} modality: expected one file per modality`);
    onProgress?.('read features', k, features.length);
    modalities.push((await readKeyedFeatures(f, itemIndex)).modality);
  }

  onProgress?.('fingerprint', 0, 1);
  const settings = JSON.stringify({ format, columns, eventId: input.eventIdColumn, policy, seed: split.made === 'random' ? seed : undefined, ids: features.map((f) => [f.modality, f.idColumn ?? null]) });
  const fingerprint = await fingerprintFiles(
    [input.file, ...features.flatMap((f) => (f.ids ? [f.file, f.ids] : [f.file]))],
    settings,
  );
  onProgress?.('fingerprint', 1, 1);
  return {
    name,
    fingerprint,
    userIds,
    itemIds,
    rows: collapsed.pairs,
    events: preparedEvents(rows),
    repeats: collapsed.repeats,
    policy,
    conflicts: collapsed.conflicts,
    split,
    source: fileName,
    splitCounts: countSplits(collapsed.pairs.splits),
    modalities,
  };
}
