// The embedded BI endpoint as BI tools meet it, through their real client libraries: pgjdbc (Metabase, Tableau,
// DBeaver) run through Java, SQLAlchemy + psycopg2 (Superset) and psycopg 3 in a venv, and node-postgres. Each
// lists the schemas, the six tables and their columns with comments the way its tool does, runs a bound-parameter
// query, is refused every write, and 10 connections holding open transactions are all answered, as are others while
// a pgjdbc or psycopg2 cursor stays open. The store runs in its worker thread as in the API; a client that waited for
// another's transaction or cursor more than 1 s would get 55P03.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { BI_TABLES } from '../../apps/api/src/bi';
import { startBiSqlServer, type BiSqlServer } from '../../apps/api/src/bi/bi-server';
import { openWorkerBiStore, type WorkerBiStore } from '../../apps/api/src/bi/bi-worker-store';
import { pgjdbcClasspath, PYTHON_PROGRAM, pythonWithDrivers, run } from '../helpers/bi-client-tools';
import { sampleRows } from '../unit/api/bi/bi-fixtures';

type Listing = Record<string, { comment: string | null; columns: [string, string | null][] }>;

/** The six tables with their comments and their columns with comments, as the catalogue defines them. */
const EXPECTED: Listing = Object.fromEntries(
  BI_TABLES.map((t) => [t.name, { comment: `${t.description} Key: ${t.key.join(', ')}.`, columns: t.columns.map((c): [string, string] => [c.name, c.description]) }]),
);
/** Rows of dataset 's' with rank <= 2: two users, ranks 1 and 2 (bi-fixtures). */
const BOUND_COUNT = 4;
const WRITES = 5;

describe('BI endpoint with the client libraries of BI tools', () => {
  let store: WorkerBiStore;
  let server: BiSqlServer;

  beforeAll(async () => {
    store = await openWorkerBiStore({ busyTimeoutMs: 1000 });
    for (const [table, rows] of Object.entries(sampleRows('s'))) await store.replaceRows(table, 's', rows);
    server = await startBiSqlServer(store, { port: 0, busyTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it('node-postgres: lists tables and columns with comments, binds parameters, is refused writes, and serves 10 open transactions', async () => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const schemas = await client.query('SELECT nspname FROM pg_catalog.pg_namespace ORDER BY 1');
      expect(schemas.rows.map((r) => r.nspname)).toContain('eior');
      const { rows } = await client.query(
        `SELECT c.relname AS table, obj_description(c.oid, 'pg_class') AS table_comment, a.attname AS column, col_description(c.oid, a.attnum) AS comment
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r' ORDER BY c.relname, a.attnum`,
        ['eior'],
      );
      const listing: Listing = {};
      for (const r of rows) (listing[r.table] ??= { comment: r.table_comment, columns: [] }).columns.push([r.column, r.comment]);
      expect(listing).toEqual(EXPECTED);
      expect((await client.query('SELECT count(*)::int AS n FROM eior.recommendations WHERE dataset = $1 AND rank <= $2', ['s', 2])).rows).toEqual([{ n: BOUND_COUNT }]);
      for (const sql of ["INSERT INTO eior.environments (dataset) VALUES ('x')", 'UPDATE eior.recommendations SET rating = 0', 'DELETE FROM eior.model_versions', 'CREATE TABLE eior.t (a int)', "SELECT set_config('role', 'postgres', false)"]) {
        const err = await client.query(sql).then(() => null, (e: { code?: string }) => e);
        expect([sql, ['25006', '42501'].includes(err?.code ?? '')]).toEqual([sql, true]);
      }
    } finally {
      await client.end();
    }
    const held = await Promise.all(Array.from({ length: 10 }, async () => {
      const c = new Client({ connectionString: server.url });
      await c.connect();
      return c;
    }));
    try {
      for (const c of held) await c.query('BEGIN');
      for (const [k, c] of held.entries()) expect((await c.query('SELECT $1::int AS k', [k])).rows).toEqual([{ k }]);
      // all at once as well, every one still inside its block
      const answers = await Promise.all(held.map((c, k) => c.query('SELECT $1::int AS k, count(*)::int AS n FROM eior.environments', [k])));
      expect(answers.map((a) => a.rows[0])).toEqual(held.map((_, k) => ({ k, n: 2 })));
      for (const c of held) await c.query('COMMIT');
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
  });

  it('SQLAlchemy + psycopg2 (Superset) and psycopg 3: inspect with comments, bound parameters, refused writes, 10 held transactions', () => {
    const python = pythonWithDrivers();
    const report = JSON.parse(run(python, [PYTHON_PROGRAM, '127.0.0.1', String(server.port)], 'the Python client program failed'));
    const alchemy = report.sqlalchemy_psycopg2;
    expect(alchemy.error).toBeUndefined();
    expect(alchemy.schemas).toContain('eior');
    expect(alchemy.tables).toEqual(EXPECTED);
    expect(alchemy.bound).toBe(6);
    expect(alchemy.refused).toHaveLength(WRITES);
    for (const [sql, code] of alchemy.refused) expect([sql, ['25006', '42501'].includes(code)]).toEqual([sql, true]);
    const psycopg3 = report.psycopg3;
    expect(psycopg3.error).toBeUndefined();
    expect(psycopg3.schemas).toContain('eior');
    expect(psycopg3.tables).toEqual(EXPECTED);
    expect(psycopg3.bound).toBe(BOUND_COUNT);
    for (const [sql, code] of psycopg3.refused) expect([sql, ['25006', '42501'].includes(code)]).toEqual([sql, true]);
    const held = report.held_transactions;
    expect(held.error).toBeUndefined();
    expect(held.in_transaction).toEqual(Array(10).fill(true));
    expect(held.answers).toEqual([...Array(10).keys(), ...Array(10).keys()].map((k) => [k, 2]));
    // a named cursor of psycopg2, then of psycopg 3 (DECLARE, FETCH FORWARD 2) stays open while psycopg2 and
    // psycopg 3 connections query
    const answered = { fetched: [1, 2, 3, 1, 2, 3], others: { psycopg2: [2, 2], psycopg3: [3, 2] } };
    expect(report.named_cursor).toEqual({ ...answered, psycopg3: answered });
  });

  it('pgjdbc (Metabase, Tableau, DBeaver): metadata with remarks, a prepared statement, refused writes, 10 manual-commit connections', () => {
    const classpath = pgjdbcClasspath();
    const report = JSON.parse(run('java', ['-cp', classpath, 'BiClients', '127.0.0.1', String(server.port)], 'the Java client program failed'));
    expect(report.held_error).toBeUndefined();
    expect(report.schemas).toContain('eior');
    expect(report.tables).toEqual(EXPECTED);
    expect(report.bound).toBe(BOUND_COUNT);
    expect(report.refused).toHaveLength(WRITES);
    for (const [sql, code] of report.refused) expect([sql, ['25006', '42501'].includes(code)]).toEqual([sql, true]);
    expect(report.held_answers).toEqual([...Array(10).keys(), ...Array(10).keys()].map((k) => [k, 2]));
    expect(report.fetched).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('pgjdbc keeps a cursor open (fetch size 2, autocommit off) while node-postgres, psycopg2 and psycopg 3 are answered', async () => {
    const classpath = pgjdbcClasspath();
    const python = pythonWithDrivers();
    const java = spawn('java', ['-cp', classpath, 'BiClients', '127.0.0.1', String(server.port), 'cursor'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: java.stdout })[Symbol.asyncIterator]();
    try {
      expect(JSON.parse((await lines.next()).value)).toEqual({ open: [1, 2] });
      // the cursor is open now; a client waiting for it would get 55P03 after 1 s, not an answer
      const client = new Client({ connectionString: server.url });
      await client.connect();
      try {
        const answer = await client.query('SELECT $1::int AS k, count(*)::int AS n FROM eior.environments', [1]).then((r) => r.rows, (e: { code?: string }) => e.code);
        expect(answer).toEqual([{ k: 1, n: 2 }]);
      } finally {
        await client.end();
      }
      const others = await new Promise<string>((resolve, reject) => {
        const child = spawn(python, [PYTHON_PROGRAM, '127.0.0.1', String(server.port), 'answer'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('close', (status) => (status === 0 ? resolve(out) : reject(new Error(`the Python client program exited with ${status}: ${out}`))));
      });
      expect(JSON.parse(others)).toEqual({ psycopg2: [2, 2], psycopg3: [3, 2] });
      java.stdin.end('go on\n');
      expect(JSON.parse((await lines.next()).value)).toEqual({ fetched: [1, 2, 3, 1, 2, 3] });
    } finally {
      java.kill();
    }
  });
});
