// Streams an events file into an EventSink: CSV and TSV through csv-parse (quotes, BOM, CRLF), Parquet through
// hyparquet one row group at a time. Neither holds more than a chunk or a row group of the file in memory.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { GraphError, InputFileError } from '../errors';
import type { Cell } from './event-sink';

export const EVENT_FORMATS = ['csv', 'tsv', 'parquet'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** What a table reader hands on: the header once, then each record with where it is in the file. */
export interface TableSink {
  header(names: readonly string[], where: string): void;
  record(cells: readonly Cell[], where: () => string): void;
}

export type BytesProgress = (done: number, total: number) => void;

/** The format from the flag, or from the file name's extension. */
export function eventFormat(file: string, flag?: string): EventFormat {
  const raw = (flag ?? path.extname(file).slice(1)).toLowerCase();
  const format = raw === 'txt' || raw === 'inter' ? 'tsv' : raw === 'pq' ? 'parquet' : raw;
  if (!(EVENT_FORMATS as readonly string[]).includes(format)) {
    throw new GraphError('BAD_USER_INPUT', `${file}: cannot tell the format from '${raw}': expected a .csv, .tsv or .parquet file, or --format csv|tsv|parquet`);
  }
  return format as EventFormat;
}

/** Reads a whole table file into the sink; returns the file's size in bytes. */
export async function readTable(file: string, format: EventFormat, sink: TableSink, onProgress?: BytesProgress): Promise<number> {
  const name = path.basename(file);
  let total: number;
  try {
    total = (await stat(file)).size;
  } catch (err) {
    throw new InputFileError(name, undefined, `cannot read: ${(err as Error).message}`);
  }
  if (format === 'parquet') await readParquet(file, name, sink, onProgress, total);
  else await readDelimited(file, name, format === 'csv' ? ',' : '\t', sink, onProgress, total);
  return total;
}

async function readDelimited(file: string, name: string, delimiter: string, sink: TableSink, onProgress: BytesProgress | undefined, total: number): Promise<void> {
  // csv-parse's own line numbers (info, on_record) cost more than half its time: records are counted here instead,
  // with the line ends inside quoted fields, so a record's line is exact.
  const parser = parse({ delimiter, bom: true, quote: delimiter === '\t' ? false : '"', relax_column_count: true });
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += (chunk as Buffer).length;
    onProgress?.(bytes, total);
  });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let line = 0;
  let header = true;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const at = line + 1;
      line = at;
      for (const field of record) if (field.includes('\n')) line += field.split('\n').length - 1;
      if (header) {
        sink.header(record, `line ${at}`);
        header = false;
      } else if (record.length === 1 && record[0] === '') {
        throw new InputFileError(name, `line ${at}`, 'empty line: expected one event per line');
      } else {
        sink.record(record, () => `line ${at}`);
      }
    }
  } catch (err) {
    if (err instanceof InputFileError) throw err;
    throw new InputFileError(name, `line ${line + 1}`, `cannot parse: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}

async function readParquet(file: string, name: string, sink: TableSink, onProgress: BytesProgress | undefined, total: number): Promise<void> {
  // hyparquet is an ES module: loaded on first use (require of ESM in Node 20.19+).
  const hp = await import('hyparquet');
  const handle = await open(file, 'r');
  // hyparquet's AsyncBuffer: byte ranges read on demand, so only the row group in hand is in memory.
  const buffer = {
    byteLength: total,
    slice: async (start: number, end?: number): Promise<ArrayBuffer> => {
      const length = (end ?? total) - start;
      const out = Buffer.alloc(length);
      await handle.read(out, 0, length, start);
      return out.buffer.slice(out.byteOffset, out.byteOffset + length) as ArrayBuffer;
    },
  };
  try {
    await readParquetGroups(hp, buffer, name, sink, onProgress, total);
  } finally {
    await handle.close();
  }
}

async function readParquetGroups(
  hp: typeof import('hyparquet'),
  buffer: { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> },
  name: string,
  sink: TableSink,
  onProgress: BytesProgress | undefined,
  total: number,
): Promise<void> {
  let metadata: Awaited<ReturnType<typeof hp.parquetMetadataAsync>>;
  try {
    metadata = await hp.parquetMetadataAsync(buffer);
  } catch (err) {
    throw new InputFileError(name, undefined, `not a readable Parquet file: ${(err as Error).message}`);
  }
  const names = hp.parquetSchema(metadata).children.map((c) => c.element.name);
  sink.header(names, 'schema');
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: unknown[][] = [];
    try {
      await hp.parquetRead({ file: buffer, metadata, rowStart, rowEnd, columns: names, onComplete: (r: unknown[][]) => (rows = r) });
    } catch (err) {
      throw new InputFileError(name, `rows ${rowStart + 1}..${rowEnd}`, `cannot decode: ${(err as Error).message}`);
    }
    for (let k = 0; k < rows.length; k++) sink.record(rows[k] as Cell[], () => `row ${rowStart + k + 1}`);
    onProgress?.(Math.round((rowEnd / Number(metadata.num_rows)) * total), total);
    rowStart = rowEnd;
  }
}
