// The BI store in an external PostgreSQL (a pg Pool on the configured URL): same tables and comments as the
// embedded one. The URL's user owns and writes the tables; BI users should connect with a read-only role:
//
//   CREATE ROLE bi_reader LOGIN PASSWORD '...';
//   GRANT CONNECT ON DATABASE <db> TO bi_reader;
//   GRANT USAGE ON SCHEMA eior TO bi_reader;
//   GRANT SELECT ON ALL TABLES IN SCHEMA eior TO bi_reader;
//   ALTER DEFAULT PRIVILEGES FOR ROLE <writer> IN SCHEMA eior GRANT SELECT ON TABLES TO bi_reader;
//   ALTER ROLE bi_reader SET search_path = eior, public;
//   ALTER ROLE bi_reader SET default_transaction_read_only = on;
import { Pool, types, type PoolClient } from 'pg';
import { schemaDdl } from './bi-sql';
import { parseInt8, replaceStatements, type BiStore } from './bi-store';

export interface ExternalBiStoreOptions {
  /** Most connections the pool opens (default 4). */
  poolSize?: number;
}

// the same JS values as the embedded store: int8 -> number, date -> 'YYYY-MM-DD' (pg's default is a local-midnight Date)
const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (format !== 'binary' && oid === 20) return parseInt8;
  if (format !== 'binary' && oid === 1082) return (text: string) => text;
  return types.getTypeParser(oid, format ?? 'text');
}) as typeof types.getTypeParser;

/** Advisory-lock keys (hashtext of a name), so concurrent API processes take turns on DDL and on one dataset. */
const SCHEMA_LOCK = 'eior_bi:schema';

class ExternalBiStore implements BiStore {
  constructor(private readonly pool: Pool) {}

  async replaceRows(table: string, dataset: string, rows: Record<string, unknown>[]): Promise<void> {
    const statements = replaceStatements(table, dataset, rows);
    await this.inTransaction('BEGIN', async (client) => {
      // without it, two writers of one dataset would both delete, then the second insert would hit the key
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`eior_bi:${table}:${dataset}`]);
      for (const [sql, params] of statements) await client.query(sql, params);
    });
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    // read-only like the embedded store, although the pool's user may write
    return this.inTransaction('BEGIN READ ONLY', async (client) => (await client.query(sql, params)).rows);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async inTransaction<T>(begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      // a connection whose ROLLBACK failed is in an unknown state: drop it rather than hand it out again
      client.release(broken);
    }
  }
}

/** Connects to the PostgreSQL at `url` and creates the eior schema, tables and comments when missing. */
export async function openExternalBiStore(url: string, options: ExternalBiStoreOptions = {}): Promise<BiStore> {
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 4, types: { getTypeParser } });
  // an idle connection that dies (server restart) emits 'error' on the pool, which would end the process if
  // unheard; the next query gets a fresh connection or the error itself
  pool.on('error', () => undefined);
  const store = new ExternalBiStore(pool);
  try {
    await store.inTransaction('BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK]);
      for (const statement of schemaDdl()) await client.query(statement);
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`could not prepare the BI schema in the external PostgreSQL: ${(err as Error).message}`);
  }
  return store;
}
