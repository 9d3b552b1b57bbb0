// Reads a whole MMRec dataset folder and validates it, so that bad input is refused before anything of it
// is written: the result holds dense indexes and feature matrices, ready for the writer.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { GraphError, InputFileError } from '../errors';
import { readNpyMatrix, type NpyDtype } from '../mmrec/npy';
import { locateDataset, type ModalityKind } from './layout';
import { readInterFile, rowLine, type InterRows } from './inter-reader';
import { denseIndexes, isPlainInteger, tokensByIndex } from './id-map';
import { collapseEvents, DEFAULT_REPEAT_POLICY, type PairRows, type RepeatPolicy, type SplitConflicts } from './collapse-events';
import type { SplitOutcome } from './auto-split';

export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface PreparedModality {
  modality: ModalityKind;
  file: string;
  dtype: NpyDtype;
  width: number;
  /** Row-major [items, width], row i = item of dense index i (zeros where the item lacks the modality). */
  data: Float32Array | Float64Array;
  /** 1 where the item has the modality; undefined when every item has it. */
  present?: Uint8Array;
}

export interface PreparedDataset {
  name: string;
  /** sha256 over the files' names and bytes: the same files always give the same fingerprint. */
  fingerprint: string;
  userIds: string[];
  itemIds: string[];
  /** Training pairs (one per user and item, the collapsed events) with dense user and item indexes. */
  rows: PairRows;
  /**
   * Every event's own values as read (pairs point into them by event number). The events' users, items and splits
   * are left out: the pairs hold them, and 10,000,000 events' worth would stay in memory the whole write for nothing.
   */
  events: PreparedEvents;
  /** Events that repeat a pair seen before. */
  repeats: number;
  policy: RepeatPolicy;
  conflicts: SplitConflicts;
  split: SplitOutcome;
  /** Name of the events file, kept with every repeated event. */
  source: string;
  splitCounts: { train: number; valid: number; test: number };
  modalities: PreparedModality[];
}

export type PreparedEvents = Pick<InterRows, 'count' | 'ratings' | 'timestamps' | 'weights' | 'eventKeys' | 'eventKeyTokens' | 'keyDuplicates' | 'bytes'>;

/** The part of the events a prepared dataset keeps (see PreparedDataset.events). */
export function preparedEvents(rows: InterRows): PreparedEvents {
  const { count, ratings, timestamps, weights, eventKeys, eventKeyTokens, keyDuplicates, bytes } = rows;
  return { count, ratings, timestamps, weights, eventKeys, eventKeyTokens, keyDuplicates, bytes };
}

export interface PrepareOptions {
  policy?: RepeatPolicy;
  onProgress?: PrepareProgress;
}

export type PrepareStage = 'read interactions' | 'read features' | 'fingerprint';
export type PrepareProgress = (stage: PrepareStage, done: number, total: number) => void;

export function validateDatasetName(name: string): void {
  if (!DATASET_NAME.test(name)) {
    throw new GraphError(
      'BAD_USER_INPUT',
      `dataset name ${JSON.stringify(name)} is not valid: expected 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  }
}

export async function prepareDataset(name: string, dir: string, options: PrepareOptions = {}): Promise<PreparedDataset> {
  const { onProgress } = options;
  const policy = options.policy ?? DEFAULT_REPEAT_POLICY;
  validateDatasetName(name);
  const layout = await locateDataset(dir);
  const rows = await readInterFile(layout.interFile, (done, total) => onProgress?.('read interactions', done, total));
  const interName = path.basename(layout.interFile);
  if (rows.count === 0) throw new InputFileError(interName, undefined, 'no interactions after the header');

  const modalities: PreparedModality[] = [];
  for (const [k, f] of layout.features.entries()) {
    onProgress?.('read features', k, layout.features.length);
    const m = await readNpyMatrix(f.file);
    modalities.push({ modality: f.modality, file: f.file, dtype: m.dtype, width: m.cols, data: m.data });
    checkFeatureRows(interName, rows, path.basename(f.file), m.rows);
  }

  const userDense = denseIndexes(rows.userTokens);
  const itemDense = modalities.length > 0 ? featureRowIndexes(rows) : denseIndexes(rows.itemTokens);
  // Rewrite the rows in place from first-appearance ids to dense indexes.
  for (let r = 0; r < rows.count; r++) {
    rows.users[r] = userDense[rows.users[r]];
    rows.items[r] = itemDense[rows.items[r]];
  }
  const userIds = tokensByIndex(rows.userTokens, userDense);
  const itemIds = tokensByIndex(rows.itemTokens, itemDense);
  const collapsed = collapseEvents(rows, userIds.length, policy, { file: interName, locate: (e) => `line ${rowLine(e)}`, userIds, itemIds });
  onProgress?.('fingerprint', 0, 1);
  // The policy changes the graph, so it is part of the fingerprint (the default keeps earlier fingerprints).
  const fingerprint = await fingerprintFiles([layout.interFile, ...layout.features.map((f) => f.file)], policy === DEFAULT_REPEAT_POLICY ? '' : policy);
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
    split: { made: 'input' },
    source: interName,
    splitCounts: countSplits(collapsed.pairs.splits),
    modalities,
  };
}

export function countSplits(splits: Uint8Array): { train: number; valid: number; test: number } {
  const counts = { train: 0, valid: 0, test: 0 };
  for (const s of splits) {
    if (s === 0) counts.train++;
    else if (s === 1) counts.valid++;
    else counts.test++;
  }
  return counts;
}

/** Row i of every feature file is item i: item tokens must be exactly the row indexes 0..rows-1. */
function checkFeatureRows(interName: string, rows: InterRows, featureName: string, featureRows: number): void {
  if (rows.itemTokens.length !== featureRows) {
    throw new InputFileError(
      featureName,
      undefined,
      `${featureRows} rows, but ${interName} names ${rows.itemTokens.length} items: expected one row per item`,
    );
  }
  for (let t = 0; t < rows.itemTokens.length; t++) {
    const token = rows.itemTokens[t];
    if (!isPlainInteger(token) || Number(token) >= featureRows) {
      const firstRow = rows.items.indexOf(t);
      throw new InputFileError(
        interName,
        `line ${rowLine(firstRow)}`,
        `itemID '${token}' is not a row of ${featureName}: with feature files, item ids must be the row indexes 0..${featureRows - 1}`,
      );
    }
  }
}

function featureRowIndexes(rows: InterRows): Int32Array {
  return Int32Array.from(rows.itemTokens, Number);
}

export async function fingerprintFiles(files: string[], settings = ''): Promise<string> {
  const hash = createHash('sha256');
  if (settings) hash.update(`${settings}\0`);
  for (const file of files) {
    hash.update(`${path.basename(file)}\0`);
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    hash.update('\0');
  }
  return hash.digest('hex');
}
