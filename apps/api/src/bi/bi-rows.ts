// Checks rows against the BI catalogue before they are written, and turns them into JSON-ready values
// (what jsonb_populate_recordset reads), so bad input fails with a message naming table, column and value.
import { isNullable, type BiColumn, type BiColumnType, type BiTable } from './bi-tables';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const EXPECTED: Record<BiColumnType, string> = {
  text: 'a string',
  integer: `an integer from ${INT32_MIN} to ${INT32_MAX}`,
  bigint: 'a safe integer (|n| <= 2^53 - 1) or a bigint in the int8 range',
  'double precision': 'a finite number',
  boolean: 'true or false',
  timestamptz: 'a Date or an ISO 8601 date-time string with a time zone',
  date: "a 'YYYY-MM-DD' string or a Date (its UTC day is kept)",
};

/** Printable form of a bad value for error messages: short, typed, never throws. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (value instanceof Date) return `${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()} (Date)`;
  if (typeof value === 'number') return `${value} (number)`; // JSON would print NaN and Infinity as null
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return `${text} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

/** The value in the form written to PostgreSQL, or undefined when it does not fit the column type. */
function convert(type: BiColumnType, value: unknown): unknown {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
    case 'bigint':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
      // int8 range; sent as a string because JSON has no bigint
      if (typeof value === 'bigint') return value >= -(2n ** 63n) && value < 2n ** 63n ? value.toString() : undefined;
      return undefined;
    case 'double precision':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'timestamptz':
      return toTimestamp(value);
    case 'date':
      return toDate(value);
  }
}

// Timestamps are kept to the millisecond (what a JS Date holds), so an export cursor made from a row read back
// as a Date compares equal to the stored value.
function toTimestamp(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value)) return undefined;
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function toDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const m = DATE_PATTERN.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // rejects 2024-02-30 and friends, which Date.UTC silently rolls over
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? value : undefined;
}

/** The JSON-ready value of one cell; throws an Error naming table, column, value and the expected type. */
export function convertCell(table: BiTable, column: BiColumn, value: unknown, where = ''): unknown {
  if (value === null || value === undefined) {
    if (isNullable(table, column)) return null;
    throw new Error(`BI table ${table.name}${where}: column ${column.name} (${column.type}) needs a value, got ${describeValue(value)}: expected ${EXPECTED[column.type]}`);
  }
  const converted = convert(column.type, value);
  if (converted === undefined) {
    throw new Error(`BI table ${table.name}${where}: column ${column.name} (${column.type}) got ${describeValue(value)}: expected ${EXPECTED[column.type]}`);
  }
  return converted;
}

/**
 * Checks every row of one dataset against the table's columns and returns them JSON-ready. `dataset` may be left
 * out of a row (it is filled in) but must not name another dataset; unknown columns are errors, not dropped.
 */
export function prepareRows(table: BiTable, datasetName: string, rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  if (typeof datasetName !== 'string' || datasetName === '') {
    throw new Error(`BI table ${table.name}: dataset must be a non-empty string, got ${describeValue(datasetName)}`);
  }
  const known = new Set(table.columns.map((c) => c.name));
  return rows.map((row, index) => {
    const where = ` row ${index}`;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new Error(`BI table ${table.name}${where}: expected an object of column values, got ${describeValue(row)}`);
    }
    for (const name of Object.keys(row)) {
      if (!known.has(name)) {
        throw new Error(`BI table ${table.name}${where}: unknown column ${JSON.stringify(name)} (value ${describeValue(row[name])}): expected only ${table.columns.map((c) => c.name).join(', ')}`);
      }
    }
    if (row.dataset !== undefined && row.dataset !== datasetName) {
      throw new Error(`BI table ${table.name}${where}: column dataset (text) got ${describeValue(row.dataset)}: expected ${JSON.stringify(datasetName)}, the dataset being replaced`);
    }
    const out: Record<string, unknown> = {};
    for (const column of table.columns) {
      out[column.name] = column.name === 'dataset' ? datasetName : convertCell(table, column, row[column.name], where);
    }
    return out;
  });
}
