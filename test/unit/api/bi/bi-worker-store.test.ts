// The embedded BI store in its worker thread: the same rows and errors as in-thread, the SQL endpoint served from
// the worker, and the calling thread free to run while a heavy BI query runs there.
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Client } from 'pg';
import { BiSessionBusyError } from '../../../../apps/api/src/bi/bi-session';
import { openWorkerBiStore, type WorkerBiStore } from '../../../../apps/api/src/bi/bi-worker-store';
import { startBiSqlServer } from '../../../../apps/api/src/bi/bi-server';
import { recommendationRows, SERVED_AT } from './bi-fixtures';
import { holdSession } from './hold-session';

describe('openWorkerBiStore', () => {
  let store: WorkerBiStore;
  beforeAll(async () => {
    store = await openWorkerBiStore({ busyTimeoutMs: 300 });
  });
  afterAll(async () => {
    await store.close();
  });

  it('replaces and reads rows as the in-thread store does (Dates, nulls, numbers)', async () => {
    await store.replaceRows('recommendations', 'a', recommendationRows('a'));
    const rows = await store.query('SELECT user_id, rank, environment, served_at FROM eior.recommendations WHERE dataset = $1 ORDER BY user_id, rank', ['a']);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ user_id: 'u1', rank: 1, environment: 1, served_at: SERVED_AT });
    expect(rows[3].environment).toBeNull();
  });

  it('passes errors back with their message, and a busy session as BiSessionBusyError', async () => {
    const bad = recommendationRows('a');
    bad[0] = { ...bad[0], rank: 'first' };
    await expect(store.replaceRows('recommendations', 'a', bad)).rejects.toThrow('BI table recommendations row 0: column rank (integer) got "first" (string)');
    const server = await startBiSqlServer(store, { port: 0 });
    const held = await holdSession(server.port); // a client in the middle of an extended exchange
    try {
      const err = await store.query('SELECT 1').then(() => null, (e: Error) => e);
      expect(err).toBeInstanceOf(BiSessionBusyError);
      expect(err?.message).toMatch(/^the embedded BI database is busy/);
    } finally {
      held.release();
      await server.close();
    }
  });

  it('runs the BI thread at the lowest priority (nice 19) and leaves the calling thread as it was', () => {
    // /proc/self/task/<tid>/stat: field 19 is the nice value, counted after the ')' that closes the thread's name
    const nice = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const threads = readdirSync('/proc/self/task');
    expect(threads.filter((tid) => nice(tid) === 19).length).toBeGreaterThanOrEqual(1);
    expect(nice(String(process.pid))).toBe(getPriority());
    expect(getPriority()).not.toBe(19);
  });

  it("keeps the calling thread's event loop running while a heavy BI query runs", async () => {
    const server = await startBiSqlServer(store, { port: 0 });
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      // seconds of work for PGlite: with PGlite on this thread, no timer could fire until it ended
      const { rows } = await client.query('SELECT count(*)::int AS n FROM generate_series(1, 3000000) a WHERE a % 7 = 0');
      clearInterval(timer);
      expect(rows).toEqual([{ n: 428571 }]);
      expect(ticks).toBeGreaterThanOrEqual(5);
    } finally {
      await client.end();
      await server.close();
    }
  });
});
