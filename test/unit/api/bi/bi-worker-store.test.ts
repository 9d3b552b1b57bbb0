// The embedded BI store in its worker thread: the same rows and errors as in-thread, the SQL endpoint served from
// the worker, the calling thread free to run while a heavy BI query runs there and while rows travel to it, and
// the BI thread alone at the priority asked for.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { BiSessionBusyError } from '../../../../apps/api/src/bi/bi-session';
import { openWorkerBiStore, ROWS_PER_MESSAGE, type WorkerBiStore } from '../../../../apps/api/src/bi/bi-worker-store';
import { readThreadSchedule } from '../../../../apps/api/src/cpu-schedule';
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

  it('runs the BI thread alone under SCHED_IDLE at nice 19 (nice 19 only without chrt), the calling thread as it was', () => {
    const hasChrt = (() => {
      try {
        execFileSync('chrt', ['--help'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    const threads = readdirSync('/proc/self/task').map((tid) => readThreadSchedule(process.pid, Number(tid)));
    const low = threads.filter((t) => t.nice === 19 || t.policy !== 'SCHED_OTHER');
    // one thread only: the libuv pool, started by open() before the worker, is not the BI thread's offspring
    expect(low).toEqual([{ tid: store.threadSchedule!.tid, nice: 19, policy: hasChrt ? 'SCHED_IDLE' : 'SCHED_OTHER' }]);
    expect(store.threadSchedule).toEqual(low[0]);
    expect(readThreadSchedule(process.pid, process.pid)).toEqual({ tid: process.pid, nice: getPriority(), policy: 'SCHED_OTHER' });
    expect(getPriority()).not.toBe(19);
  });

  it('runs the BI thread at nice 19 for priority low and at the process priority for normal', async () => {
    for (const [priority, nice] of [['low', 19], ['normal', getPriority()]] as const) {
      const other = await openWorkerBiStore({ priority });
      try {
        expect(other.threadSchedule).toEqual({ tid: other.threadSchedule!.tid, nice, policy: 'SCHED_OTHER' });
        expect(readThreadSchedule(process.pid, other.threadSchedule!.tid)).toEqual(other.threadSchedule);
      } finally {
        await other.close();
      }
    }
  });

  it(`sends rows ${ROWS_PER_MESSAGE} a message with a turn of the event loop between, and replaces them in one transaction`, async () => {
    const users = Array.from({ length: 1201 }, (_, i) => `c${i}`);
    const rows = recommendationRows('chunks', users, 5); // 6,005 rows: 25 messages of 250 (the last of 5), 24 turns between
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    // each message to the worker, with the event-loop turns counted when it was posted
    const posted: { op: string; rows: number; turns: number }[] = [];
    const original = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: { op: string; rows?: unknown[] }, transfer?: Parameters<Worker['postMessage']>[1]) {
      posted.push({ op: message.op, rows: message.rows?.length ?? 0, turns });
      return original.call(this, message, transfer as never);
    };
    try {
      await store.replaceRows('recommendations', 'chunks', rows);
    } finally {
      Worker.prototype.postMessage = original;
      ticking = false;
    }
    const stages = posted.filter((p) => p.op === 'stageRows');
    expect(stages.map((p) => p.rows)).toEqual([...Array<number>(24).fill(250), 5]);
    for (let k = 1; k < stages.length; k++) expect(stages[k].turns).toBeGreaterThan(stages[k - 1].turns);
    expect(posted.map((p) => p.op).slice(-1)).toEqual(['replaceRows']);
    expect(await store.query('SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS users FROM eior.recommendations WHERE dataset = $1', ['chunks'])).toEqual([{ n: 6005, users: 1201 }]);

    // a bad row in the 3rd message: its index counts over all messages, and the rows already there stay
    const bad = recommendationRows('chunks', users.slice(0, 200), 5);
    bad[612] = { ...bad[612], rank: 'first' };
    await expect(store.replaceRows('recommendations', 'chunks', bad)).rejects.toThrow('BI table recommendations row 612: column rank (integer) got "first" (string)');
    expect(await store.query('SELECT count(*)::int AS n FROM eior.recommendations WHERE dataset = $1', ['chunks'])).toEqual([{ n: 6005 }]);
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
