// Streams an events file into an EventSink: CSV and TSV through csv-parse (quotes, BOM, CRLF), Parquet through
// hyparquet one row group at a time. Neither holds more than a chunk or a row group of the file in memory.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  let header = true;
  let failure: unknown;
  // Records are handled inside on_record (which has the line number) and dropped, so nothing queues up.
  const parser = parse({
    delimiter,
    bom: true,
    quote: delimiter === '\t' ? false : '"',
    relax_column_count: true,
    on_record: (record: string[], context: { lines: number }) => {
      if (failure) return null;
      try {
        if (header) {
          sink.header(record, 'line 1');
          header = false;
        } else if (record.length === 1 && record[0] === '') {
          throw new InputFileError(name, `line ${context.lines}`, 'empty line: expected one event per line');
        } else {
          sink.record(record, () => `line ${context.lines}`);
        }
      } catch (err) {
        failure = err;
      }
      return null;
    },
  });
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += (chunk as Buffer).length;
    onProgress?.(bytes, total);
  });
  const drain = new Writable({ objectMode: true, write: (_chunk, _enc, done) => done() });
  try {
    await pipeline(input, parser, drain);
  } catch (err) {
    if (failure) throw failure;
    throw new InputFileError(name, undefined, `cannot parse: ${(err as Error).message}`);
  }
  if (failure) throw failure;
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
