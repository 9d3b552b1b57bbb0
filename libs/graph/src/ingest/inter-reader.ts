// Reads and validates a `<name>.inter` TSV (MMRec layout) into typed arrays before anything is written.
// Header `userID itemID rating timestamp x_label`: rating and timestamp columns may be absent or empty,
// extra columns are ignored, x_label 0/1/2 = train/valid/test.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import { InputFileError } from '../errors';
import { Growable } from './growable';
import { TokenTable } from './token-table';

export const SPLITS = ['train', 'valid', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const REQUIRED_COLUMNS = ['userID', 'itemID', 'x_label'] as const;

/** Interactions as parallel arrays; users and items carry first-appearance ids until mapped to dense indexes. */
export interface InterRows {
  count: number;
  users: Int32Array;
  items: Int32Array;
  /** 0 train, 1 valid, 2 test. */
  splits: Uint8Array;
  /** NaN where the file gives no rating; undefined when the column is absent. */
  ratings?: Float64Array;
  /** NaN where the file gives no timestamp; undefined when the column is absent. */
  timestamps?: Float64Array;
  /** Weight of each event (NaN: 1); undefined when the input has no weight column. */
  weights?: Float64Array;
  /** False when the input has no split column: splits are then NO_SPLIT until a split is made. */
  splitGiven?: boolean;
  userTokens: string[];
  itemTokens: string[];
  /** With an event id column (`--event-id-col`): each event's id as an index into eventKeyTokens. */
  eventKeys?: Int32Array;
  eventKeyTokens?: string[];
  /** Events left out because they repeat an earlier event of the file under the same id (same content). */
  keyDuplicates?: number;
  /** Size of the file read, in bytes. */
  bytes: number;
}

/** File line (1-based) of data row r: the header is line 1 and blank lines are refused. */
export const rowLine = (row: number): number => row + 2;

export interface ReadProgress {
  (bytesRead: number, totalBytes: number): void;
}

export async function readInterFile(file: string, onProgress?: ReadProgress): Promise<InterRows> {
  const name = path.basename(file);
  const fail = (line: number | undefined, reason: string): never => {
    throw new InputFileError(name, line === undefined ? undefined : `line ${line}`, reason);
  };
  const users = new Growable(Int32Array);
  const items = new Growable(Int32Array);
  const splits = new Growable(Uint8Array);
  const ratings = new Growable(Float64Array);
  const timestamps = new Growable(Float64Array);
  const userTable = new TokenTable();
  const itemTable = new TokenTable();

  let columns: { user: number; item: number; split: number; rating: number; timestamp: number; width: number } | undefined;
  let lineNo = 0;

  const parseNumber = (raw: string, column: string, line: number): number => {
    if (raw === '') return Number.NaN;
    const v = Number(raw);
    if (!Number.isFinite(v)) fail(line, `${column} '${raw}' is not a finite number`);
    return v;
  };

  const onLine = (text: string): void => {
    lineNo += 1;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (!columns) {
      const header = line.split('\t');
      const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
      if (missing.length > 0) {
        fail(1, `missing or wrong header: found '${line.slice(0, 80)}', expected tab-separated columns ` +
          `userID itemID rating timestamp x_label (missing ${missing.join(', ')})`);
      }
      columns = {
        user: header.indexOf('userID'),
        item: header.indexOf('itemID'),
        split: header.indexOf('x_label'),
        rating: header.indexOf('rating'),
        timestamp: header.indexOf('timestamp'),
        width: header.length,
      };
      return;
    }
    if (line === '') fail(lineNo, 'empty line: expected one interaction per line');
    const fields = line.split('\t');
    if (fields.length !== columns.width) {
      fail(lineNo, `${fields.length} columns, expected ${columns.width} as in the header`);
    }
    const user = fields[columns.user];
    const item = fields[columns.item];
    if (user === '') fail(lineNo, 'empty userID');
    if (item === '') fail(lineNo, 'empty itemID');
    const rawSplit = fields[columns.split];
    if (!/^\s*-?\d+(\.0*)?\s*$/.test(rawSplit)) {
      fail(lineNo, `x_label '${rawSplit}' is not a number: expected 0 (train), 1 (valid) or 2 (test)`);
    }
    const split = Number(rawSplit);
    if (split !== 0 && split !== 1 && split !== 2) {
      fail(lineNo, `unknown split value x_label=${rawSplit}: expected 0 (train), 1 (valid) or 2 (test)`);
    }
    users.push(userTable.idOf(user));
    items.push(itemTable.idOf(item));
    splits.push(split);
    if (columns.rating >= 0) ratings.push(parseNumber(fields[columns.rating], 'rating', lineNo));
    if (columns.timestamp >= 0) timestamps.push(parseNumber(fields[columns.timestamp], 'timestamp', lineNo));
  };

  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let bytes = 0;
  let total = 0;
  try {
    total = (await stat(file)).size;
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      const text = rest + decoder.write(chunk as Buffer);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine(l);
      onProgress?.(bytes, total);
    }
    rest += decoder.end();
    if (rest !== '') onLine(rest);
  } catch (err) {
    stream.destroy();
    if (err instanceof InputFileError) throw err;
    throw new InputFileError(name, undefined, `cannot read: ${(err as Error).message}`);
  }
  if (!columns) fail(undefined, 'the file is empty: expected a header line userID itemID rating timestamp x_label');
  const c = columns as NonNullable<typeof columns>;
  return {
    count: users.length,
    users: users.values(),
    items: items.values(),
    splits: splits.values(),
    ratings: c.rating >= 0 ? ratings.values() : undefined,
    timestamps: c.timestamp >= 0 ? timestamps.values() : undefined,
    userTokens: userTable.tokens,
    itemTokens: itemTable.tokens,
    bytes,
  };
}

/** Refuses a (user, item) pair that appears twice: each pair is one relationship in the graph. */
export function checkNoDuplicatePairs(file: string, rows: InterRows): void {
  const nItems = rows.itemTokens.length;
  const keys = new Float64Array(rows.count);
  for (let r = 0; r < rows.count; r++) keys[r] = rows.users[r] * nItems + rows.items[r];
  const sorted = keys.slice().sort();
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k] === sorted[k - 1]) {
      const first = keys.indexOf(sorted[k]);
      const second = keys.indexOf(sorted[k], first + 1);
      throw new InputFileError(
        path.basename(file),
        `line ${rowLine(second)}`,
        `repeats the interaction of user '${rows.userTokens[rows.users[second]]}' with item ` +
          `'${rows.itemTokens[rows.items[second]]}' from line ${rowLine(first)}: each (user, item) pair may appear once`,
      );
    }
  }
}
