// A prepared dataset as the CSV files of Neo4j's offline importer (`neo4j-admin database import full`): the same
// nodes, relationships and properties, with the same value types, that writeDataset's fresh path creates through
// Cypher (the driver sends JavaScript numbers as floats, so only what Cypher passes through toInteger is a long).
// Written as a stream, a batch of rows at a time; values the importer's CSV cannot carry unchanged are found first.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { PreparedDataset } from './prepare';
import { SPLITS } from './inter-reader';
import { interactionRow, orNull } from './pair-rows';
import { pairWeight } from './collapse-events';

/** Between the elements of an array value: a control character no id may hold (bulkFilesBlocker checks). */
export const ARRAY_DELIMITER = '\u001f';

export interface BulkFiles {
  /** Label -> file, for `--nodes=Label=file`. */
  nodes: { label: string; file: string }[];
  /** Type -> file, for `--relationships=TYPE=file`. */
  relationships: { type: string; file: string }[];
}

const ROWS_PER_WRITE = 20_000;

/** Why the importer's CSV cannot carry this dataset unchanged, or null when it can. */
export function bulkFilesBlocker(data: PreparedDataset): string | null {
  const bad = (s: string) => s.includes('\n') || s.includes('\r') || s.includes(ARRAY_DELIMITER);
  const named = (what: string, list: readonly string[]) => {
    const v = list.find(bad);
    return v === undefined ? null : `${what} ${JSON.stringify(v)} holds a line break or the character U+001F, which the bulk import's CSV does not carry`;
  };
  return named('user id', data.userIds) ?? named('item id', data.itemIds) ?? named('event source', [data.source])
    ?? named('feature file', data.modalities.map((m) => m.file.split('/').pop() ?? ''))
    ?? named('event id', data.events.eventKeyTokens ?? [])
    ?? (data.events.eventKeyTokens?.includes('') ? 'an event id is empty, which an array of the bulk import\'s CSV does not carry' : null);
}

/** Writes the files into `dir` (which must exist) and says which label and type each holds. */
export async function writeBulkFiles(data: PreparedDataset, dir: string): Promise<BulkFiles> {
  const file = (name: string) => path.join(dir, name);
  const ds = str(data.name);
  await writeRows(file('users.csv'), ':ID(User),dataset,id,idx:long', data.userIds.length, (u) => `${u},${ds},${str(data.userIds[u])},${u}`);
  await writeRows(file('items.csv'), ':ID(Item),dataset,id,idx:long,absent:string[]', data.itemIds.length, (i) => {
    const absent = data.modalities.filter((m) => m.present && !m.present[i]).map((m) => m.modality);
    return `${i},${ds},${str(data.itemIds[i])},${i},${absent.length > 0 ? str(absent.join(ARRAY_DELIMITER)) : ''}`;
  });
  await writeRows(file('modalities.csv'), ':ID(Modality),dataset,name,width:long,dtype,file', data.modalities.length, (k) => {
    const m = data.modalities[k];
    return `${k},${ds},${str(m.modality)},${m.width},${str(m.dtype)},${str(m.file.split('/').pop() ?? '')}`;
  });
  const relationships: BulkFiles['relationships'] = [];
  for (const [k, m] of data.modalities.entries()) {
    const name = file(`features-${k}.csv`);
    await writeRows(name, ':START_ID(Item),:END_ID(Modality),modality,values:double[]', data.itemIds.length, (i) => {
      if (m.present && !m.present[i]) return null;
      return `${i},${k},${str(m.modality)},${list(Array.from(m.data.subarray(i * m.width, (i + 1) * m.width)))}`;
    });
    relationships.push({ type: 'HAS_FEATURE', file: name });
  }
  const pairs = file('pairs.csv');
  await writeRows(pairs, ':START_ID(User),:END_ID(Item),split,rating:double,timestamp:long,events:double,weight:double,'
    + 'eventTimes:double[],eventRatings:double[],eventWeights:double[],eventSources:string[],eventIds:string[]', data.rows.count, (p) => pairLine(data, p));
  relationships.push({ type: 'INTERACTED', file: pairs });
  return {
    nodes: [{ label: 'User', file: file('users.csv') }, { label: 'Item', file: file('items.csv') }, { label: 'Modality', file: file('modalities.csv') }],
    relationships,
  };
}

/** Pair p as writeDataset's fresh path stores it (CREATE_PLAIN_INTERACTIONS or CREATE_INTERACTIONS). */
function pairLine(data: PreparedDataset, p: number): string {
  const { rows, events } = data;
  const split = str(SPLITS[rows.splits[p]]);
  if (rows.events[p] === 1 && pairWeight(rows, p) === 1 && !events.eventKeys) {
    return `${rows.users[p]},${rows.items[p]},${split},${num(orNull(rows.ratings?.[p]))},${long(orNull(rows.timestamps?.[p]))},,,,,,,`;
  }
  const r = interactionRow(data, p);
  const strings = (v: unknown) => (v === null ? '' : str((v as string[]).join(ARRAY_DELIMITER)));
  const numbers = (v: unknown) => (v === null ? '' : list(v as number[]));
  return [rows.users[p], rows.items[p], split, num(r[3] as number | null), long(r[4] as number | null), num(r[5] as number | null),
    num(r[6] as number | null), numbers(r[7]), numbers(r[8]), numbers(r[9]), strings(r[10]), strings(r[11])].join(',');
}

/** A string field, quoted, with quotes doubled. */
function str(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A float as Java's parser reads it back to the same double (String(-0) would lose the sign). */
function num(v: number | null): string {
  if (v === null) return '';
  return Object.is(v, -0) ? '-0.0' : String(v);
}

/** A long as Cypher's toInteger makes it of a float: truncated toward zero. */
function long(v: number | null): string {
  return v === null ? '' : String(Math.trunc(v));
}

function list(values: readonly number[]): string {
  return values.map(num).join(ARRAY_DELIMITER);
}

/** Rows 0..count-1 (a null line is left out) under `header`, a batch of lines per write, waiting when the stream is full. */
async function writeRows(file: string, header: string, count: number, line: (k: number) => string | null): Promise<void> {
  const out: WriteStream = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => { throw err; });
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write(`${header}\n`);
  for (let from = 0; from < count; from += ROWS_PER_WRITE) {
    const lines: string[] = [];
    for (let k = from; k < Math.min(count, from + ROWS_PER_WRITE); k++) {
      const l = line(k);
      if (l !== null) lines.push(l);
    }
    if (lines.length > 0) await write(`${lines.join('\n')}\n`);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
