jest.mock('@electric-sql/pglite', () => jest.requireActual('./outside-jest').requireOutsideJest('@electric-sql/pglite'));

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openExternalBiStore } from '../../../../apps/api/src/bi/bi-external-store';
import type { BiStore } from '../../../../apps/api/src/bi/bi-store';
import { recommendationRows, sampleRows, SERVED_AT } from './bi-fixtures';

// The stand-in for an external PostgreSQL: a writable PGlite behind pglite-socket's own server, reached by pg over TCP.
describe('openExternalBiStore', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let url: string;
  let store: BiStore;

  beforeAll(async () => {
    db = await PGlite.create();
    server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
    await server.start();
    url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    store = await openExternalBiStore(url, { poolSize: 1 });
  });
  afterAll(async () => {
    await store.close();
    await server.stop();
    await db.close();
  });

  it('creates the tables with their comments, and opens again over the existing schema', async () => {
    const again = await openExternalBiStore(url, { poolSize: 1 });
    await again.close();
    const [{ n }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'eior' AND c.relkind = 'r'")).rows;
    expect(n).toBe(6);
    const [{ d }] = (await db.query<{ d: string }>("SELECT col_description('eior.interactions_per_day'::regclass, 2) AS d")).rows;
    expect(d).toBe('Calendar day (UTC).');
  });

  it('replaces a dataset atomically and idempotently, with the same JS values as the embedded store', async () => {
    for (const [table, rows] of Object.entries(sampleRows('s'))) await store.replaceRows(table, 's', rows);
    await store.replaceRows('recommendations', 's', recommendationRows('s'));
    const read = () => store.query('SELECT user_id, rank, environment, served_at FROM eior.recommendations WHERE dataset = $1 ORDER BY user_id, rank', ['s']);
    const before = await read();
    expect(before).toHaveLength(6);
    expect(before[0]).toEqual({ user_id: 'u1', rank: 1, environment: 1, served_at: SERVED_AT });
    const bad = recommendationRows('s', ['x', 'y']);
    bad[3] = { ...bad[3], rating: '0.5' };
    await expect(store.replaceRows('recommendations', 's', bad)).rejects.toThrow('BI table recommendations row 3: column rating (double precision) got "0.5" (string): expected a finite number');
    const dup = recommendationRows('s', ['x']);
    await expect(store.replaceRows('recommendations', 's', [...dup, dup[0]])).rejects.toThrow(/duplicate key/);
    expect(await read()).toEqual(before);
    expect(await store.query("SELECT day, interactions FROM eior.interactions_per_day WHERE source = 'train' ORDER BY day")).toEqual([
      { day: '2024-04-01', interactions: 9007199254740991 },
      { day: '2024-04-02', interactions: 7 },
    ]);
  });

  it('runs query() read-only although the pool user may write', async () => {
    await expect(store.query('DELETE FROM eior.recommendations')).rejects.toThrow(/read-only transaction/);
  });
});
