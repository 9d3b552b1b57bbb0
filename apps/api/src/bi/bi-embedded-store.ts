// The BI store on an embedded PGlite (in memory, or persisted in dataDir): creates the eior schema and a SELECT-only
// reader role, leaves the session in that role and read-only, and takes write rights back only inside replaceRows.
// With `yieldTo`, each statement of a publish and of a SQL client waits while the API is busy (api-activity).
import { PGlite } from '@electric-sql/pglite';
import { BiYield, runGated, type ApiActivityShared, type BiYieldOptions } from './api-activity';
import { CLIENT_SETTINGS } from './bi-sql-guard';
import { BiSession, type SessionOwner } from './bi-session';
import { quoteIdent, schemaDdl } from './bi-sql';
import { BI_READER_ROLE, DEFAULT_BUSY_TIMEOUT_MS, parseInt8, replaceStatements, type BiStore } from './bi-store';
import { BI_SCHEMA } from './bi-tables';

export interface EmbeddedBiStoreOptions {
  /** Folder PGlite keeps its files in; in memory (lost on close) when left out. */
  dataDir?: string;
  /** How long replaceRows and query wait while a SQL client holds the single session (default 30 s). */
  busyTimeoutMs?: number;
  /** The API's requests in flight (in the API thread's ApiActivity): statements wait while there are some. */
  yieldTo?: { shared: ApiActivityShared } & BiYieldOptions;
}

// int8 as number, date as 'YYYY-MM-DD' (PGlite's default makes a Date at UTC midnight; pg's at local midnight)
const PARSERS = { 20: parseInt8, 1082: (text: string) => text };

// The store never changes session settings: every call shares this empty map (the defaults).
const STORE_SETTINGS = new Map<string, string>();
/** A fresh owner per call: two concurrent calls must not share one hold (the first to end would release it). */
const storeCall = (): SessionOwner => ({ label: 'the BI store', settings: STORE_SETTINGS });

/**
 * Setup run on every open, as the superuser: idempotent. The reader role gets nothing but USAGE on eior and
 * SELECT on its tables; PUBLIC loses CREATE on schema public and TEMPORARY on the database, so a session in the
 * reader role cannot create any table.
 */
function bootstrapSql(): string {
  const reader = quoteIdent(BI_READER_ROLE);
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '${BI_READER_ROLE}') THEN CREATE ROLE ${reader} NOLOGIN; END IF;
       EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
     END $$`,
    'REVOKE CREATE ON SCHEMA public FROM PUBLIC',
    ...schemaDdl(),
    `GRANT USAGE ON SCHEMA ${quoteIdent(BI_SCHEMA)} TO ${reader}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(BI_SCHEMA)} TO ${reader}`,
    // from here on the session (shared by the store and every SQL client) reads as the reader role
    `SET search_path = ${quoteIdent(BI_SCHEMA)}, public`,
    'SET standard_conforming_strings = on',
    `SET ROLE ${reader}`,
    'SET default_transaction_read_only = on',
  ].join(';\n');
}

export class EmbeddedBiStore implements BiStore {
  private closed = false;

  constructor(
    /** The PGlite instance; its one session is shared through `session`. */
    readonly pglite: PGlite,
    /** Who holds the single PostgreSQL session: this store or one SQL client (see bi-session). */
    readonly session: BiSession,
    readonly busyTimeoutMs: number,
    /** Waits before each statement while the API is busy (null: statements never wait). */
    readonly gate: BiYield | null = null,
  ) {}

  async replaceRows(table: string, dataset: string, rows: Record<string, unknown>[]): Promise<void> {
    const statements = replaceStatements(table, dataset, rows);
    this.checkOpen();
    await this.session.run(storeCall(), this.busyTimeoutMs, () =>
      this.pglite.transaction(async (tx) => {
        // the session is read-only in the reader role: write rights last only as long as this transaction
        await tx.query('SET TRANSACTION READ WRITE');
        await tx.query('SET LOCAL ROLE NONE');
        for (const [sql, params] of statements) await runGated(this.gate, () => tx.query(sql, params));
      }),
    );
  }

  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    this.checkOpen();
    return this.session.run(storeCall(), this.busyTimeoutMs, async () => (await this.pglite.query<Record<string, unknown>>(sql, params)).rows);
  }

  /** Closes PGlite; stop SQL servers on this store first (their clients lose the connection). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session.cancelAll(new Error('the BI store is closed'));
    await this.pglite.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the BI store is closed');
  }
}

export function isEmbeddedBiStore(store: BiStore): store is EmbeddedBiStore {
  return store instanceof EmbeddedBiStore;
}

/** Opens (creating when needed) the embedded BI database with every catalogue table, comments and the reader role. */
export async function openEmbeddedBiStore(options: EmbeddedBiStoreOptions = {}): Promise<EmbeddedBiStore> {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const pglite = await PGlite.create({ dataDir: options.dataDir, parsers: PARSERS });
  try {
    await pglite.exec(bootstrapSql());
    const names = [...CLIENT_SETTINGS, 'default_transaction_read_only'];
    const { rows } = await pglite.query<{ name: string; value: string }>('SELECT n AS name, pg_catalog.current_setting(n) AS value FROM unnest($1::text[]) AS n', [names]);
    const gate = options.yieldTo ? new BiYield(options.yieldTo.shared, options.yieldTo) : null;
    return new EmbeddedBiStore(pglite, new BiSession(pglite, new Map(rows.map((r) => [r.name, r.value]))), busyTimeoutMs, gate);
  } catch (err) {
    await pglite.close().catch(() => undefined);
    throw err;
  }
}
