// The BI store contract: flat catalogue tables in schema `eior`, one dataset's rows of one table replaced at a
// time, read back with SQL. Two implementations: embedded PGlite (bi-embedded-store) and an external PostgreSQL.
import { prepareRows } from './bi-rows';
import { deleteDatasetSql, INSERT_BATCH_ROWS, insertBatchSql } from './bi-sql';
import { requireBiTable } from './bi-tables';

export interface BiStore {
  /**
   * Replaces every row of `dataset` in `table` by `rows`, atomically: one transaction (delete, then inserts in
   * batches). Rows are checked against the catalogue first; an unknown table or column or a value of the wrong
   * type throws an Error naming table, column, value and expected type, and leaves the previous rows as they were.
   */
  replaceRows(table: string, dataset: string, rows: Record<string, unknown>[]): Promise<void>;
  /**
   * Runs one read-only SQL statement ($1, $2, ... parameters) and returns its rows. Values come back as: int and
   * int8 -> number (int8 beyond 2^53 -> string), double precision -> number, timestamptz -> Date,
   * date -> 'YYYY-MM-DD', boolean -> boolean, text -> string.
   */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The role whose rights SQL clients of the embedded endpoint get: USAGE on schema eior, SELECT on its tables. */
export const BI_READER_ROLE = 'eior_bi_reader';

/** How long a store call or a SQL client waits for the embedded database's single session by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** int8 as a number while exact, else the decimal string (what JSON and CSV can carry without loss). */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** The statements of one replaceRows, once its rows passed the catalogue check: [sql, params] in order. */
export function replaceStatements(tableName: string, dataset: string, rows: Record<string, unknown>[]): [string, unknown[]][] {
  const table = requireBiTable(tableName);
  const prepared = prepareRows(table, dataset, rows);
  const statements: [string, unknown[]][] = [[deleteDatasetSql(table), [dataset]]];
  for (let i = 0; i < prepared.length; i += INSERT_BATCH_ROWS) {
    statements.push([insertBatchSql(table), [JSON.stringify(prepared.slice(i, i + INSERT_BATCH_ROWS))]]);
  }
  return statements;
}
