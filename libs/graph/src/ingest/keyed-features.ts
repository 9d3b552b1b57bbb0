// Item features keyed by item id, for events files: a .npy matrix with an item-id file (one id per line, line k =
// row k), or a CSV/TSV/Parquet table with an item-id column and one column per feature. An item of the events
// with no row, or with a row that is NaN (or empty) in every column, is ingested with the modality absent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphError, InputFileError } from '../errors';
import { readNpyMatrix, type NpyDtype } from '../mmrec/npy';
import type { Cell } from './event-sink';
import { eventFormat, readTable } from './events-file';
import type { ModalityKind } from './layout';
import type { PreparedModality } from './prepare';

export interface FeatureSource {
  modality: ModalityKind;
  file: string;
  /** For a .npy file: the item-id file, one id per row. */
  ids?: string;
  /** For a table: the item-id column (default 'item'). */
  idColumn?: string;
}

export interface KeyedFeatures {
  modality: PreparedModality;
  /** Rows whose item is not in the events: not ingested (an item needs an interaction to be trained). */
  unknownItems: number;
}

/** Reads one modality's features and lays them out by dense item index. */
export async function readKeyedFeatures(source: FeatureSource, itemIndex: ReadonlyMap<string, number>): Promise<KeyedFeatures> {
  const name = path.basename(source.file);
  const table = source.file.toLowerCase().endsWith('.npy') ? await readNpyWithIds(source) : await readFeatureTable(source);
  const { width } = table;
  const numItems = itemIndex.size;
  const data = table.dtype === 'float64' ? new Float64Array(numItems * width) : new Float32Array(numItems * width);
  const present = new Uint8Array(numItems);
  let unknownItems = 0;
  for (let r = 0; r < table.ids.length; r++) {
    const idx = itemIndex.get(table.ids[r]);
    if (idx === undefined) {
      unknownItems++;
      continue;
    }
    if (present[idx]) throw new InputFileError(name, table.where(r), `item '${table.ids[r]}' has a second row: expected one row per item`);
    const row = table.values.subarray(r * width, (r + 1) * width);
    if (Number.isNaN(row[0])) continue; // all-NaN row (checked whole by the readers): the modality is absent
    data.set(row, idx * width);
    present[idx] = 1;
  }
  const complete = present.every((p) => p === 1);
  return {
    modality: { modality: source.modality, file: source.file, dtype: table.dtype, width, data, ...(complete ? {} : { present }) },
    unknownItems,
  };
}

interface IdTable {
  ids: string[];
  width: number;
  dtype: NpyDtype;
  /** Row-major [ids, width]; NaN rows are absent items. */
  values: Float32Array | Float64Array;
  where(row: number): string;
}

async function readNpyWithIds(source: FeatureSource): Promise<IdTable> {
  if (!source.ids) {
    throw new GraphError('BAD_USER_INPUT', `${source.file}: a .npy feature file needs an item-id file (one id per row): pass --item-ids ${source.modality}=FILE`);
  }
  const m = await readNpyMatrix(source.file, { nanRows: true });
  let text: string;
  try {
    text = await readFile(source.ids, 'utf8');
  } catch (err) {
    throw new InputFileError(path.basename(source.ids), undefined, `cannot read: ${(err as Error).message}`);
  }
  const ids = text.split(/\r?\n/);
  if (ids[ids.length - 1] === '') ids.pop();
  if (ids.length !== m.rows) {
    throw new InputFileError(path.basename(source.ids), undefined, `${ids.length} ids, but ${path.basename(source.file)} has ${m.rows} rows: expected one id per row`);
  }
  const empty = ids.indexOf('');
  if (empty >= 0) throw new InputFileError(path.basename(source.ids), `line ${empty + 1}`, 'empty item id: expected one id per line');
  return { ids, width: m.cols, dtype: m.dtype, values: m.data, where: (r) => `row ${r} (id line ${r + 1})` };
}

async function readFeatureTable(source: FeatureSource): Promise<IdTable> {
  const name = path.basename(source.file);
  const idColumn = source.idColumn ?? 'item';
  const ids: string[] = [];
  const values: number[] = [];
  let idAt = -1;
  let width = 0;
  await readTable(source.file, eventFormat(source.file), {
    header(names, where) {
      idAt = names.indexOf(idColumn);
      if (idAt < 0) {
        throw new InputFileError(name, where, `no item-id column '${idColumn}' (found ${names.slice(0, 8).map((n) => `'${n}'`).join(', ')}): name it with --feature-id-col`);
      }
      width = names.length - 1;
      if (width === 0) throw new InputFileError(name, where, 'no feature column beside the item id');
    },
    record(cells, where) {
      if (cells.length !== width + 1) throw new InputFileError(name, where(), `${cells.length} columns, expected ${width + 1} as in the header`);
      const id = cells[idAt];
      if (!(typeof id === 'string' && id !== '') && typeof id !== 'bigint' && !(typeof id === 'number' && Number.isSafeInteger(id))) {
        throw new InputFileError(name, where(), `item id ${String(id)} in column '${idColumn}' is not an id: expected a string or an integer`);
      }
      const row = cells.filter((_, k) => k !== idAt).map((c) => featureValue(c, name, where));
      const nan = row.map(Number.isNaN);
      if (nan.some((x) => x) && !nan.every((x) => x)) {
        throw new InputFileError(name, where(), `empty or NaN in column ${nan.indexOf(true) + 1} of the features only: expected every feature, or none for an item without this modality`);
      }
      ids.push(String(id));
      for (const v of row) values.push(v);
    },
  });
  if (ids.length === 0) throw new InputFileError(name, undefined, 'no feature rows after the header');
  // Tables are read as float64 whatever their column types (CSV has none; Parquet's float32 fits exactly).
  return { ids, width, dtype: 'float64', values: Float64Array.from(values), where: (r) => `row ${r + 1}` };
}

function featureValue(cell: Cell, file: string, where: () => string): number {
  if (cell === null || cell === undefined || cell === '') return Number.NaN;
  const v = typeof cell === 'number' ? cell : typeof cell === 'string' ? Number(cell) : Number.NaN;
  if (Number.isNaN(v) && !(typeof cell === 'string' && cell.trim().toLowerCase() === 'nan') && !(typeof cell === 'number')) {
    throw new InputFileError(file, where(), `feature value ${JSON.stringify(String(cell))} is not a number`);
  }
  if (!Number.isNaN(v) && !Number.isFinite(v)) throw new InputFileError(file, where(), `feature value ${String(cell)} is not finite`);
  return v;
}
