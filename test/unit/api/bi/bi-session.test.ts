import type { PGlite } from '@electric-sql/pglite';
import { BiSession, BiSessionBusyError, type SessionOwner } from '../../../../apps/api/src/bi/bi-session';

/** Records the SQL the session runs on switches, in order. */
function fakeDb() {
  const ran: string[] = [];
  const db = {
    exec: async (sql: string) => {
      ran.push(sql);
      return [];
    },
    query: async (sql: string, params: unknown[]) => {
      ran.push(`${sql} ${JSON.stringify(params)}`);
      return { rows: [] };
    },
  };
  return { db: db as unknown as PGlite, ran };
}

const owner = (label: string, settings: [string, string][] = []): SessionOwner => ({ label, settings: new Map(settings) });
const defaults = new Map([
  ['datestyle', 'ISO, MDY'],
  ['search_path', 'eior, public'],
]);

describe('BiSession', () => {
  it('gives the session to one owner at a time, first come first served', async () => {
    const { db } = fakeDb();
    const session = new BiSession(db, defaults);
    const [a, b, c] = [owner('a'), owner('b'), owner('c')];
    const order: string[] = [];
    await session.acquire(a, 1000);
    const waitB = session.acquire(b, 1000).then(() => order.push('b'));
    const waitC = session.acquire(c, 1000).then(() => order.push('c'));
    expect(session.queued).toBe(2);
    session.release(c); // not the holder: nothing happens
    expect(session.holds(a)).toBe(true);
    session.release(a);
    await waitB;
    expect(session.holds(b)).toBe(true);
    session.release(b);
    await waitC;
    expect(order).toEqual(['b', 'c']);
  });

  it('is re-entrant for the same owner object only', async () => {
    const { db } = fakeDb();
    const session = new BiSession(db, defaults);
    const a = owner('a');
    await session.run(a, 1000, async () => {
      await session.run(a, 1000, async () => undefined);
      expect(session.holds(a)).toBe(true);
      const other = session.run(owner('a too'), 50, async () => 'ran');
      await expect(other).rejects.toThrow(BiSessionBusyError);
    });
    expect(session.holds(a)).toBe(false);
  });

  it('ends a wait past its limit with an error naming the holder and the wait', async () => {
    const { db } = fakeDb();
    const session = new BiSession(db, defaults);
    await session.acquire(owner('connection #7 from 127.0.0.1:5000'), 1000);
    await expect(session.acquire(owner('the BI store'), 30)).rejects.toThrow(
      /^the embedded BI database is busy: it has one session and connection #7 from 127\.0\.0\.1:5000 has held it for \d+\.\d s \(an unfinished query, or an extended-protocol exchange not yet ended by Sync\); the BI store waited 30 ms/,
    );
    expect(session.queued).toBe(0);
  });

  it('ends the waits of a closed connection', async () => {
    const { db } = fakeDb();
    const session = new BiSession(db, defaults);
    const [a, b] = [owner('a'), owner('b')];
    await session.acquire(a, 1000);
    const waiting = session.acquire(b, 1000);
    session.cancel(b, new Error('b closed'));
    await expect(waiting).rejects.toThrow('b closed');
    session.release(a);
    expect(session.holds(b)).toBe(false);
  });

  it("puts back the defaults of what the previous owner set, then the new owner's own settings", async () => {
    const { db, ran } = fakeDb();
    const session = new BiSession(db, defaults);
    const a = owner('a', [
      ['datestyle', "SET DateStyle = 'SQL'"],
      ['work_mem', 'SET work_mem = 64'],
    ]);
    const b = owner('b', [['work_mem', 'SET work_mem = 128']]);
    await session.run(a, 1000, async () => undefined);
    expect(ran).toEqual(["SET DateStyle = 'SQL'", 'SET work_mem = 64']);
    ran.length = 0;
    await session.run(a, 1000, async () => undefined);
    expect(ran).toEqual([]); // still a's settings: nothing to do
    await session.run(b, 1000, async () => undefined);
    expect(ran).toEqual(['SELECT pg_catalog.set_config($1, $2, false) ["datestyle","ISO, MDY"]', 'SET work_mem = 128']);
    ran.length = 0;
    await session.run(b, 1000, async () => session.resetSettings(b));
    expect(ran).toEqual(['RESET "work_mem"']); // no default recorded for it: RESET
    expect(b.settings.size).toBe(0);
  });
});
