jest.mock('@electric-sql/pglite', () => jest.requireActual('./outside-jest').requireOutsideJest('@electric-sql/pglite'));

import { connect as connectRaw } from 'node:net';
import { Client, type ClientConfig, type QueryResult } from 'pg';
import { openEmbeddedBiStore, type EmbeddedBiStore } from '../../../../apps/api/src/bi/bi-embedded-store';
import { startBiSqlServer, type BiSqlServer } from '../../../../apps/api/src/bi/bi-server';
import { BI_TABLES } from '../../../../apps/api/src/bi/bi-tables';
import { sampleRows } from './bi-fixtures';
import { holdSession } from './hold-session';

const counts = 'SELECT (SELECT count(*) FROM eior.recommendations)::int AS recommendations, (SELECT count(*) FROM eior.environments)::int AS environments';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await sleep(10);
  expect(done()).toBe(true);
}

describe('startBiSqlServer', () => {
  let store: EmbeddedBiStore;
  let server: BiSqlServer;
  const clients: Client[] = [];

  async function connect(extra: Partial<ClientConfig> = {}, on: BiSqlServer = server): Promise<Client> {
    const client = new Client({ connectionString: on.url, ...extra });
    client.on('error', () => undefined); // a server that closes the socket must not crash the test process
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    store = await openEmbeddedBiStore({ busyTimeoutMs: 5000 });
    for (const [table, rows] of Object.entries(sampleRows('s'))) await store.replaceRows(table, 's', rows);
    server = await startBiSqlServer(store, { port: 0 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it('listens on the free port it picked for port 0 and reports it in its URL', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`postgresql://eior@127.0.0.1:${server.port}/postgres?sslmode=disable`);
  });

  it('serves every table with its column list, in the eior schema on the search_path', async () => {
    const client = await connect();
    for (const table of BI_TABLES) {
      const columns = table.columns.map((c) => `"${c.name}"`).join(', ');
      const { rows, fields } = await client.query(`SELECT ${columns} FROM ${table.name} WHERE dataset = $1 ORDER BY ${table.key.join(', ')}`, ['s']);
      expect(fields.map((f) => f.name)).toEqual(table.columns.map((c) => c.name));
      expect(rows).toHaveLength(sampleRows('s')[table.name].length);
    }
    const { rows } = await client.query("SELECT rank, rating, environment, served_at FROM recommendations WHERE user_id = 'u1' ORDER BY rank LIMIT 1");
    expect(rows).toEqual([{ rank: 1, rating: 0.9, environment: 1, served_at: new Date('2024-05-01T12:30:00.125Z') }]);
  });

  it('shows the table and column descriptions to BI tools (obj_description, col_description)', async () => {
    const client = await connect();
    const { rows } = await client.query(
      `SELECT obj_description('eior.recommendations'::regclass, 'pg_class') AS tbl,
              col_description('eior.recommendations'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'eior.recommendations'::regclass AND attname = 'invariant_weight')) AS col`,
    );
    expect(rows[0].tbl).toMatch(/^Top-k recommendation lists .* Key: dataset, model_version, user_id, rank\.$/);
    expect(rows[0].col).toBe(BI_TABLES[0].columns.find((c) => c.name === 'invariant_weight')?.description);
    // a result column named like a keyword (SQLAlchemy's get_columns names one `comment`)
    const listed = await client.query(
      `SELECT c.column_name AS name, col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) AS comment
         FROM information_schema.columns c WHERE c.table_schema = $1 AND c.table_name = $2 ORDER BY c.ordinal_position`,
      ['eior', 'recommendations'],
    );
    expect(listed.rows).toEqual(BI_TABLES[0].columns.map((c) => ({ name: c.name, comment: c.description })));
  });

  it('refuses writes, DDL and every way out of the read-only role, and the data stays as it was', async () => {
    const before = (await store.query(counts))[0];
    const client = await connect({ user: 'postgres', options: '-c default_transaction_read_only=off -c role=postgres' });
    const attempts: [string, string][] = [
      ["INSERT INTO recommendations (dataset) VALUES ('x')", 'INSERT is not allowed'],
      ["UPDATE recommendations SET rating = 0 WHERE dataset = 's'", 'UPDATE is not allowed'],
      ['DELETE FROM recommendations', 'DELETE is not allowed'],
      ['DROP TABLE eior.recommendations', 'DROP is not allowed'],
      ['CREATE TABLE t (a int)', 'CREATE TABLE is not allowed'],
      ['TRUNCATE environments', 'TRUNCATE is not allowed'],
      ['SET default_transaction_read_only = off', 'SET default_transaction_read_only is not allowed'],
      ['SET SESSION default_transaction_read_only TO off', 'SET default_transaction_read_only is not allowed'],
      ['SET transaction_read_only = off', 'SET transaction_read_only is not allowed'],
      ['BEGIN READ WRITE', 'READ WRITE transactions are not allowed'],
      ['RESET ROLE', 'RESET ROLE is not allowed'],
      ['SET ROLE postgres', 'SET ROLE is not allowed'],
      ['SET SESSION AUTHORIZATION postgres', 'SET SESSION AUTHORIZATION is not allowed'],
      ["SELECT set_config('role', 'postgres', false)", 'set_config is not allowed'],
      ["SELECT pg_catalog.\"set_config\"('default_transaction_read_only', 'off', false)", 'set_config is not allowed'],
      ["SELECT query_to_xml('select 1', true, true, '')", 'query_to_xml is not allowed'],
      ['DO $$ BEGIN RESET ROLE; END $$', 'DO is not allowed'],
      ['WITH gone AS (DELETE FROM environments RETURNING *) SELECT count(*) FROM gone', 'DELETE is not allowed'],
      ['SELECT * INTO copy_of FROM environments', 'SELECT INTO creates a table and is not allowed'],
      ['COPY environments FROM STDIN', 'COPY is not allowed'],
      ['SELECT 1; DELETE /* a comment */ FROM environments', 'DELETE is not allowed'],
      ["SELECT lo_from_bytea(0, '\\x00')", 'lo_from_bytea is not allowed'],
      ['EXPLAIN ANALYZE DELETE FROM environments', 'DELETE is not allowed'],
      ["SELECT 'a' FROM pg_class LIMIT 1 FOR UPDATE", 'FOR UPDATE/SHARE locks rows and is not allowed'],
      ["SELECT * FROM ROWS FROM (pg_catalog.dblink('dbname=postgres', 'DELETE FROM eior.environments'))", 'dblink is not allowed'],
      ["SELECT pg_read_file('/etc/passwd')", 'pg_read_file is not allowed'],
    ];
    for (const [sql, message] of attempts) {
      const err = await client.query(sql).then(() => new Error(`accepted: ${sql}`), (e: Error & { code?: string }) => e);
      expect(`${sql} -> ${err.message}`).toContain(message);
      expect(['25006', '42501']).toContain((err as { code?: string }).code);
    }
    // the extended protocol (Parse) is checked the same way, named or not
    await expect(client.query({ text: 'DELETE FROM recommendations WHERE dataset = $1', values: ['s'] })).rejects.toThrow('DELETE is not allowed');
    await expect(client.query({ name: 'w', text: 'UPDATE environments SET share = $1', values: [0] })).rejects.toThrow('UPDATE is not allowed');
    // DISCARD ALL is allowed (connection pools send it) but resets only this client's settings
    await client.query('DISCARD ALL');
    await expect(client.query('INSERT INTO environments (dataset) VALUES ($1)', ['x'])).rejects.toThrow('INSERT is not allowed');
    expect((await client.query('SELECT current_user AS u, current_setting($1) AS ro', ['default_transaction_read_only'])).rows).toEqual([{ u: 'eior_bi_reader', ro: 'on' }]);
    expect((await store.query(counts))[0]).toEqual(before);
  });

  it('keeps PostgreSQL privileges as a second wall: the reader role has SELECT only', async () => {
    // what a statement that slipped past the guard would meet: no INSERT right, no CREATE on any schema
    const [rights] = await store.query(
      `SELECT has_table_privilege('eior.recommendations', 'INSERT') AS ins, has_schema_privilege('eior', 'CREATE') AS eior,
              has_schema_privilege('public', 'CREATE') AS pub, has_database_privilege(current_database(), 'TEMPORARY') AS tmp,
              has_table_privilege('eior.recommendations', 'SELECT') AS sel`,
    );
    expect(rights).toEqual({ ins: false, eior: false, pub: false, tmp: false, sel: true });
  });

  it('serves clients that connect one after another', async () => {
    for (let i = 0; i < 3; i++) {
      const client = new Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query('SELECT count(*)::int AS n FROM environments WHERE dataset = $1', ['s'])).rows).toEqual([{ n: 2 }]);
      await client.end();
    }
  });

  it('serves several connections at once, interleaving their queries without mixing results', async () => {
    const conns = await Promise.all([connect(), connect(), connect()]);
    const runs = conns.map(async (client, c) => {
      const rows: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        rows.push((await client.query('SELECT $1::int AS c, $2::int AS i, count(*)::int AS n FROM recommendations WHERE rank <= $2', [c, i])).rows[0]);
      }
      return rows;
    });
    const results = (await Promise.all(runs)).flat();
    results.forEach((row, k) => expect(row).toEqual({ c: Math.floor(k / 10), i: k % 10, n: Math.min(k % 10, 3) * 2 }));
  });

  it('keeps prepared statements of the same name apart per connection', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    for (let i = 0; i < 3; i++) {
      const [ra, rb] = await Promise.all([
        a.query({ name: 'q', text: 'SELECT $1::text AS who, 1 AS one', values: ['a'] }),
        b.query({ name: 'q', text: 'SELECT $1::text AS who, 2 AS two', values: ['b'] }),
      ]);
      expect(ra.rows).toEqual([{ who: 'a', one: 1 }]);
      expect(rb.rows).toEqual([{ who: 'b', two: 2 }]);
    }
  });

  it("keeps one connection's session settings from reaching another or the store", async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    await a.query("SET DateStyle = 'SQL, DMY'");
    await a.query("SET search_path = 'public'");
    expect((await b.query('SHOW DateStyle')).rows).toEqual([{ DateStyle: 'ISO, MDY' }]);
    expect((await b.query('SELECT count(*)::int AS n FROM environments')).rows).toEqual([{ n: 2 }]);
    expect((await a.query('SHOW DateStyle')).rows).toEqual([{ DateStyle: 'SQL, DMY' }]);
    expect((await store.query("SELECT computed_at FROM eior.drift_metrics WHERE subject = 'popularity'"))[0].computed_at).toEqual(new Date('2024-05-02T00:00:00Z'));
  });

  it('answers other connections while several hold a transaction open, each seeing its own status', async () => {
    const holders = await Promise.all(Array.from({ length: 10 }, () => connect()));
    for (const [k, c] of holders.entries()) {
      await c.query('BEGIN');
      expect((await c.query('SELECT $1::int AS k', [k])).rows).toEqual([{ k }]);
    }
    // every block is still open (a second BEGIN warns, COMMIT at the end commits), and others are served meanwhile
    const other = await connect();
    expect((await other.query('SELECT count(*)::int AS n FROM environments WHERE dataset = $1', ['s'])).rows).toEqual([{ n: 2 }]);
    const answers = await Promise.all(holders.map((c, k) => c.query('SELECT $1::int AS k', [k])));
    expect(answers.map((r) => r.rows[0].k)).toEqual(holders.map((_, k) => k));
    const notices: string[] = [];
    holders[0].on('notice', (n) => notices.push(n.message ?? ''));
    await holders[0].query('BEGIN');
    await waitFor(() => notices.length > 0);
    expect(notices).toEqual(['there is already a transaction in progress']);
    // a failed block refuses everything but ROLLBACK, across exchanges, as PostgreSQL does
    await expect(holders[1].query('SELECT 1/0')).rejects.toThrow('division by zero');
    await expect(holders[1].query('SELECT 1')).rejects.toThrow('current transaction is aborted');
    await holders[1].query('ROLLBACK');
    expect((await holders[1].query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await Promise.all(holders.map((c) => c.query('COMMIT')));
  });

  it('answers other connections while one reads a cursor in its open transaction, each connection with its own cursors', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    await a.query('BEGIN');
    await a.query('DECLARE c CURSOR FOR SELECT g FROM generate_series(1, 5) g');
    expect((await a.query('FETCH 2 FROM c')).rows).toEqual([{ g: 1 }, { g: 2 }]);
    // with the cursor open: b is answered (a wait for a would end in 55P03 after busyTimeoutMs) and may use the same name
    expect((await b.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await b.query('BEGIN');
    await b.query("DECLARE c CURSOR FOR SELECT 'b' || g AS g FROM generate_series(1, 3) g");
    expect((await b.query('FETCH 2 FROM c')).rows).toEqual([{ g: 'b1' }, { g: 'b2' }]);
    expect((await a.query('FETCH 2 FROM c')).rows).toEqual([{ g: 3 }, { g: 4 }]);
    const [, fetched] = (await a.query('MOVE -1 IN c; FETCH 1 FROM c')) as unknown as QueryResult[];
    expect(fetched.rows).toEqual([{ g: 4 }]);
    await expect(a.query('CLOSE ALL')).rejects.toMatchObject({ code: '0A000' });
    await b.query('CLOSE c');
    await b.query('COMMIT');
    expect((await a.query('FETCH ALL FROM c')).rows).toEqual([{ g: 5 }]);
    // a cursor declared WITHOUT HOLD ends with its transaction, as on PostgreSQL
    await a.query('COMMIT');
    await expect(a.query('FETCH 1 FROM c')).rejects.toMatchObject({ code: '34000' });
  });

  it('keeps a WITH HOLD cursor past COMMIT for its connection only, and closes it when the connection goes', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    await a.query('DECLARE h CURSOR WITH HOLD FOR SELECT g FROM generate_series(1, 3) g');
    expect((await a.query('FETCH 1 FROM h')).rows).toEqual([{ g: 1 }]);
    await expect(b.query('FETCH 1 FROM h')).rejects.toMatchObject({ code: '34000' });
    const before = (await store.query('SELECT count(*)::int AS n FROM pg_catalog.pg_cursors'))[0].n as number;
    await a.end();
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await sleep(10);
      after = (await store.query('SELECT count(*)::int AS n FROM pg_catalog.pg_cursors'))[0].n as number;
    }
    expect(after).toBe(before - 1);
  });

  it('lets the store write between the statements of an open transaction, each statement seeing whole tables', async () => {
    const client = await connect();
    await client.query('BEGIN');
    expect((await client.query("SELECT count(*)::int AS n FROM environments WHERE dataset = 'w'")).rows).toEqual([{ n: 0 }]);
    await store.replaceRows('environments', 'w', sampleRows('w').environments);
    expect((await client.query("SELECT count(*)::int AS n FROM environments WHERE dataset = 'w'")).rows).toEqual([{ n: 2 }]);
    await client.query('COMMIT');
  });

  it('answers a GSSENCRequest with N (no encryption) and goes on with the startup', async () => {
    // libpq sends one first when it finds Kerberos credentials; pglite-socket alone would wait forever on it
    const socket = connectRaw(server.port);
    const replies: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    const gss = Buffer.alloc(8);
    gss.writeInt32BE(8, 0);
    gss.writeInt32BE(80877104, 4);
    socket.write(gss);
    await waitFor(() => Buffer.concat(replies).length >= 1);
    expect(Buffer.concat(replies).toString('latin1')).toBe('N');
    const params = Buffer.from('user\0eior\0database\0postgres\0\0', 'latin1');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await waitFor(() => Buffer.concat(replies).includes(Buffer.from('Z\0\0\0\x05I', 'latin1')));
    expect(Buffer.concat(replies)[1]).toBe(0x52); // 'R': AuthenticationOk
    socket.destroy();
  });

  it('never lets a client statement run inside a store write, however the calls interleave', async () => {
    const client = await connect();
    const seen = new Set<string>();
    const reads = (async () => {
      for (let i = 0; i < 60; i++) {
        const { rows } = await client.query("SELECT current_user AS u, current_setting('transaction_read_only') AS ro");
        seen.add(`${rows[0].u}/${rows[0].ro}`);
      }
    })();
    const writes = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 2 ? store.query('SELECT count(*) FROM eior.environments') : store.replaceRows('environments', `c${i}`, sampleRows(`c${i}`).environments),
    );
    await Promise.all([reads, ...writes]);
    expect([...seen]).toEqual(['eior_bi_reader/on']);
  });

  it('answers a refused statement inside a transaction and keeps the connection usable', async () => {
    const client = await connect();
    await client.query('BEGIN');
    await expect(client.query('DELETE FROM environments')).rejects.toThrow('DELETE is not allowed');
    await expect(client.query({ name: 'x', text: 'DELETE FROM environments WHERE dataset = $1', values: ['s'] })).rejects.toThrow('DELETE is not allowed');
    expect((await client.query('SELECT count(*)::int AS n FROM environments WHERE dataset = $1', ['s'])).rows).toEqual([{ n: 2 }]);
    await client.query('COMMIT');
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('refuses a FunctionCall message (a function by OID) and answers ReadyForQuery', async () => {
    const socket = connectRaw(server.port);
    const replies: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    const params = Buffer.from('user\0eior\0\0', 'latin1');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    const ready = Buffer.from('Z\0\0\0\x05I', 'latin1');
    await waitFor(() => Buffer.concat(replies).includes(ready));
    replies.length = 0;
    // set_config is OID 2078: FunctionCall 'F', oid, 0 format codes, 3 text arguments, text result
    const args = ['role', 'postgres', 'false'].map((a) => {
      const len = Buffer.alloc(4);
      len.writeInt32BE(a.length, 0);
      return Buffer.concat([len, Buffer.from(a)]);
    });
    const body = Buffer.concat([Buffer.from([0, 0, 0x08, 0x1e, 0, 0, 0, 3]), ...args, Buffer.from([0, 0])]);
    const head = Buffer.alloc(5);
    head.write('F', 0, 'latin1');
    head.writeInt32BE(4 + body.length, 1);
    socket.write(Buffer.concat([head, body]));
    await waitFor(() => Buffer.concat(replies).includes(ready));
    const text = Buffer.concat(replies).toString('utf8');
    expect(text.startsWith('E')).toBe(true);
    expect(text).toContain('C25006');
    expect(text).toContain('function calls by OID are not allowed');
    socket.destroy();
    expect((await store.query('SELECT current_user AS u'))[0].u).toBe('eior_bi_reader');
  });

  it('rolls back and moves on when a connection drops inside a transaction', async () => {
    const a = new Client({ connectionString: server.url });
    await a.connect();
    await a.query('BEGIN');
    await a.end();
    const b = await connect();
    expect((await b.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});

describe('startBiSqlServer limits', () => {
  let store: EmbeddedBiStore;
  beforeAll(async () => {
    store = await openEmbeddedBiStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers a waiting connection with a clear busy error instead of hanging', async () => {
    const server = await startBiSqlServer(store, { port: 0, busyTimeoutMs: 300 });
    const a = new Client({ connectionString: server.url });
    const b = new Client({ connectionString: server.url });
    try {
      await a.connect();
      await b.connect();
      // a client in the middle of an extended exchange (Parse, no Sync yet) keeps the session
      const held = await holdSession(server.port);
      const err = await b.query('SELECT 1').then(() => null, (e: Error & { code?: string }) => e);
      expect(err?.code).toBe('55P03');
      expect(err?.message).toMatch(/^the embedded BI database is busy: it has one session and connection #\d+ from 127\.0\.0\.1:\d+ has held it for .* waited 300 ms/);
      held.release();
      expect((await b.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await Promise.all([a.end(), b.end()]);
      await server.close();
    }
  });

  it('refuses a connection over maxConnections with SQLSTATE 53300', async () => {
    const server = await startBiSqlServer(store, { port: 0, maxConnections: 1 });
    const a = new Client({ connectionString: server.url });
    const b = new Client({ connectionString: server.url });
    b.on('error', () => undefined);
    try {
      await a.connect();
      await expect(b.connect()).rejects.toThrow('too many connections to the BI SQL endpoint: 1 are open');
      await a.end();
      await sleep(50);
      const c = new Client({ connectionString: server.url });
      await c.connect();
      await c.end();
    } finally {
      await server.close();
    }
  });

  it('refuses to serve an external store', async () => {
    const external = { replaceRows: async () => undefined, query: async () => [], close: async () => undefined };
    await expect(startBiSqlServer(external, { port: 0 })).rejects.toThrow('startBiSqlServer serves the embedded BI store only');
  });
});
