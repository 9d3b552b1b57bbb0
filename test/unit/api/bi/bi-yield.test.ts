// The BI thread gives way to API requests (api-activity): with a request marked in flight, a SQL client's statement
// and a publish wait in the BI thread until the request ends, or until the cap passes while it is still in flight;
// another worker's requests (relayed) count alike; with none, nothing waits; the answers are the same as without
// the gate. Order of events only, no timings: the shared counters say when the BI thread is waiting.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { ApiActivity } from '../../../../apps/api/src/bi/api-activity';
import { openWorkerBiStore, type WorkerBiStore } from '../../../../apps/api/src/bi/bi-worker-store';
import { startBiSqlServer, type BiSqlServer } from '../../../../apps/api/src/bi/bi-server';
import { recommendationRows } from './bi-fixtures';

const READ = 'SELECT user_id, rank, item_id FROM eior.recommendations WHERE dataset = $1 ORDER BY user_id, rank';

/**
 * Resolves once the BI thread sits in the gate (polled: the BI thread is blocked, this one is free); fails when the
 * statement was done first (`events` has an entry).
 */
async function untilWaiting(activity: ApiActivity, events: string[]): Promise<void> {
  while (!activity.counts().waiting) {
    if (events.length > 0) throw new Error(`the BI statement did not wait for the request in flight: ${events.join(', ')}`);
    await sleep(2);
  }
}

/** A worker store with its SQL endpoint and one client, gated on `activity`. */
async function gated(activity: ApiActivity, waitMs: number): Promise<{ store: WorkerBiStore; server: BiSqlServer; client: Client }> {
  const store = await openWorkerBiStore({ yieldTo: { shared: activity.shared, minWaitMs: waitMs, maxWaitMs: waitMs } });
  const server = await startBiSqlServer(store, { port: 0 });
  const client = new Client({ connectionString: server.url });
  await client.connect();
  return { store, server, client };
}

describe('BI statements wait while API requests are in flight', () => {
  const activity = new ApiActivity();
  let bi: Awaited<ReturnType<typeof gated>>;
  beforeAll(async () => {
    // a cap far beyond the test: a wait ends only when the request does
    bi = await gated(activity, 600_000);
    await bi.store.replaceRows('recommendations', 'a', recommendationRows('a'));
  });
  afterAll(async () => {
    await bi.client.end();
    await bi.server.close();
    await bi.store.close();
  });

  it('runs at once with no request in flight', async () => {
    const before = activity.counts().waits;
    const { rows } = await bi.client.query(READ, ['a']);
    expect(rows).toHaveLength(6);
    expect(activity.counts()).toMatchObject({ inFlight: 0, waiting: false, waits: before, capped: 0 });
  });

  it('holds a client statement until the request ends, then answers as before', async () => {
    const { rows: expected } = await bi.client.query(READ, ['a']);
    const events: string[] = [];
    const end = activity.begin();
    const answer = bi.client.query(READ, ['a']).then((r) => {
      events.push('answer');
      return r.rows;
    });
    await untilWaiting(activity, events);
    events.push('waiting');
    expect(activity.counts().inFlight).toBe(1);
    events.push('request ended');
    end();
    expect(await answer).toEqual(expected);
    expect(events).toEqual(['waiting', 'request ended', 'answer']);
    expect(activity.counts()).toMatchObject({ inFlight: 0, waiting: false, capped: 0 });
  });

  it('holds each statement of a publish too, and publishes the same rows', async () => {
    const events: string[] = [];
    const end = activity.begin();
    const published = bi.store.replaceRows('recommendations', 'b', recommendationRows('b', ['u7'], 2)).then(() => events.push('published'));
    await untilWaiting(activity, events);
    events.push('waiting');
    end();
    await published;
    expect(events).toEqual(['waiting', 'published']);
    expect(await bi.store.query(READ, ['b'])).toEqual([
      { user_id: 'u7', rank: 1, item_id: 'i00' },
      { user_id: 'u7', rank: 2, item_id: 'i01' },
    ]);
  });

  it('counts two requests: the statement waits until both have ended', async () => {
    const events: string[] = [];
    const [endFirst, endSecond] = [activity.begin(), activity.begin()];
    const answer = bi.client.query(READ, ['a']).then(() => events.push('answer'));
    await untilWaiting(activity, events);
    endFirst();
    endFirst(); // a second call of one request's end changes nothing
    // the BI thread wakes at the change, finds a request still in flight and waits on: give it time to answer wrongly
    await sleep(100);
    expect(activity.counts()).toMatchObject({ inFlight: 1, waiting: true });
    expect(events).toEqual([]);
    events.push('second ended');
    endSecond();
    await answer;
    expect(events).toEqual(['second ended', 'answer']);
  });

  it("holds a statement for another worker's request, relayed as +1 and -1", async () => {
    const events: string[] = [];
    activity.other(1);
    const answer = bi.client.query(READ, ['a']).then(() => events.push('answer'));
    await untilWaiting(activity, events);
    events.push('waiting');
    activity.other(-1);
    await answer;
    expect(events).toEqual(['waiting', 'answer']);
    expect(activity.counts()).toMatchObject({ inFlight: 0, waiting: false });
  });
});

describe('a BI statement waits at most the cap', () => {
  it('answers while the request is still in flight once the cap has passed, counting the capped wait', async () => {
    const activity = new ApiActivity();
    const bi = await gated(activity, 50);
    try {
      await bi.store.replaceRows('recommendations', 'a', recommendationRows('a'));
      const end = activity.begin();
      const waitsBefore = activity.counts().waits;
      const { rows } = await bi.client.query(READ, ['a']);
      expect(rows.map((r) => `${r.user_id}:${r.rank}`)).toEqual(['u1:1', 'u1:2', 'u1:3', 'u2:1', 'u2:2', 'u2:3']);
      expect(activity.counts()).toMatchObject({ inFlight: 1, waiting: false, waits: waitsBefore + 1, capped: 1 });
      end();
    } finally {
      await bi.client.end();
      await bi.server.close();
      await bi.store.close();
    }
  });
});
