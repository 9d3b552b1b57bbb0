// Formats of the BI exports: RFC 4180 CSV, and the paging cursor (base64url of the last row's key values).
import { convertCell } from './bi-rows';
import type { BiColumnType, BiTable } from './bi-tables';

/** A cell as the exports carry it, decided by the column type: timestamptz as ISO 8601 UTC text, the rest as read. */
export function exportValue(type: BiColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return type === 'timestamptz' ? new Date(value as string | number | Date).toISOString() : value;
}

/** One CSV field: NULL is empty, '' is "", and a field with a comma, quote, CR or LF is quoted with "" inside. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (text === '') return '""';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 has it. */
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The cursor after `row` (exportValue form): its key values, JSON, base64url. */
export function encodeCursor(table: BiTable, row: Record<string, unknown>): string {
  const values = table.key.map((name) => row[name]);
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Why a cursor was refused, for a 400 answer. */
export class CursorError extends Error {}

/**
 * The key values after `dataset` that a cursor holds, checked against the table's key types; a CursorError says
 * what is wrong (not base64url JSON, wrong length, another dataset, a value of the wrong type).
 */
export function decodeCursor(table: BiTable, dataset: string, cursor: string): unknown[] {
  const expected = `expected the nextCursor of a previous page of ${table.name} for dataset ${JSON.stringify(dataset)}`;
  const shown = cursor.length > 40 ? `${cursor.slice(0, 37)}...` : cursor;
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw new CursorError(`after ${JSON.stringify(shown)} is not a cursor (base64url text): ${expected}`);
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError(`after ${JSON.stringify(shown)} is not a cursor: ${expected}`);
  }
  if (!Array.isArray(values) || values.length !== table.key.length) {
    throw new CursorError(`after ${JSON.stringify(shown)} does not hold the ${table.key.length} key values (${table.key.join(', ')}): ${expected}`);
  }
  if (values[0] !== dataset) throw new CursorError(`after ${JSON.stringify(shown)} belongs to dataset ${JSON.stringify(values[0])}: ${expected}`);
  return table.key.slice(1).map((name, i) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new Error(`BI table ${table.name}: key column ${name} is not one of its columns`);
    try {
      return convertCell(table, column, values[i + 1], ' cursor');
    } catch (err) {
      throw new CursorError(`after ${JSON.stringify(shown)} is not a valid cursor (${(err as Error).message}): ${expected}`);
    }
  });
}
