// SQL text built from the BI catalogue: DDL with comments, the replace statements and the keyset page query.
// Names come only from BI_TABLES (quoted); every value goes through $n parameters.
import { BI_SCHEMA, BI_TABLES, isNullable, type BiTable } from './bi-tables';

/** "name" with embedded quotes doubled: a PostgreSQL quoted identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * 'text' with quotes doubled, for the few places PostgreSQL takes no parameters (COMMENT ON, SET). Only used on
 * catalogue descriptions and on values we generate; sessions keep standard_conforming_strings on (backslash is
 * not an escape character), which the BI endpoint does not let clients change.
 */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function qualifiedName(table: BiTable): string {
  return `${quoteIdent(BI_SCHEMA)}.${quoteIdent(table.name)}`;
}

/** CREATE ... IF NOT EXISTS for one table, then ADD COLUMN IF NOT EXISTS so a catalogue that grew adds columns. */
function tableDdl(table: BiTable): string[] {
  const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${isNullable(table, c) ? '' : ' NOT NULL'}`);
  const name = qualifiedName(table);
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (${columns.join(', ')}, PRIMARY KEY (${table.key.map(quoteIdent).join(', ')}))`,
    ...table.columns.map((c) => `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`),
    `COMMENT ON TABLE ${name} IS ${quoteLiteral(`${table.description} Key: ${table.key.join(', ')}.`)}`,
    ...table.columns.map((c) => `COMMENT ON COLUMN ${name}.${quoteIdent(c.name)} IS ${quoteLiteral(c.description)}`),
  ];
}

/** The schema, its comment and every catalogue table; safe to run on every start. */
export function schemaDdl(): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(BI_SCHEMA)}`,
    `COMMENT ON SCHEMA ${quoteIdent(BI_SCHEMA)} IS ${quoteLiteral('EIOR explainable recommendations for BI tools: flat tables, one dataset per partition, filled by the EIOR API.')}`,
    ...BI_TABLES.flatMap(tableDdl),
  ];
}

/** Rows per INSERT statement: one jsonb parameter each, so the 65,535-parameter limit never applies. */
export const INSERT_BATCH_ROWS = 5000;

/** DELETE of one dataset's rows ($1 = dataset). */
export function deleteDatasetSql(table: BiTable): string {
  return `DELETE FROM ${qualifiedName(table)} WHERE ${quoteIdent('dataset')} = $1`;
}

/** INSERT of a batch given as one jsonb array of row objects ($1), typed by the table's own row type. */
export function insertBatchSql(table: BiTable): string {
  const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  return `INSERT INTO ${qualifiedName(table)} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${qualifiedName(table)}, $1::jsonb)`;
}

/**
 * One page of a dataset's rows in key order, after the key `after` (the values of every key column but dataset)
 * when given. $1 = dataset, then the after values, then the row limit.
 */
export function pageSql(table: BiTable, hasAfter: boolean): string {
  const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const rest = table.key.slice(1);
  const typeOf = (name: string) => table.columns.find((c) => c.name === name)?.type ?? 'text';
  let where = `${quoteIdent('dataset')} = $1`;
  if (hasAfter) {
    const params = rest.map((name, i) => `$${i + 2}::${typeOf(name)}`);
    where += ` AND (${rest.map(quoteIdent).join(', ')}) > (${params.join(', ')})`;
  }
  const limit = `$${(hasAfter ? rest.length : 0) + 2}`;
  return `SELECT ${columns} FROM ${qualifiedName(table)} WHERE ${where} ORDER BY ${table.key.map(quoteIdent).join(', ')} LIMIT ${limit}`;
}
