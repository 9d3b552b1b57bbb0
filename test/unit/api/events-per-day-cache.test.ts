// Events per day are read once per state of a dataset's events (ingest and appends), shared by concurrent requests,
// re-read after an append, and not kept when a read fails; reads counted by hand.
import type { EventsPerDay } from '@eior/graph';
import { EventsPerDayCache, type EventsState } from '../../../apps/api/src/schema/events-per-day-cache';

describe('EventsPerDayCache', () => {
  it('reads once per state of the events, again after an append, and again after a failed read', async () => {
    const cache = new EventsPerDayCache();
    const reads: string[] = [];
    let fail = false;
    const read = async (name: string): Promise<EventsPerDay> => {
      reads.push(name);
      if (fail) throw new Error('graph down');
      return { days: [{ day: '2026-12-01', events: reads.length }], undated: 0 };
    };
    const g: EventsState = { name: 'g', events: 100, appends: 0, ingestedAt: '2026-12-01T00:00:00Z', appendedAt: null };
    const [a, b] = await Promise.all([cache.get(g, read), cache.get(g, read)]);
    expect(reads).toEqual(['g']);
    expect(a).toBe(b);
    expect(await cache.get({ ...g }, read)).toBe(a); // same state, another object: no read
    const h = { ...g, name: 'h' };
    await cache.get(h, read);
    expect(reads).toEqual(['g', 'h']);
    const appended = { ...g, events: 120, appends: 1, appendedAt: '2026-12-02T00:00:00Z' };
    expect((await cache.get(appended, read)).days[0].events).toBe(3);
    expect(reads).toEqual(['g', 'h', 'g']);
    fail = true;
    const reingested = { ...g, ingestedAt: '2026-12-03T00:00:00Z' };
    await expect(cache.get(reingested, read)).rejects.toThrow('graph down');
    fail = false;
    expect((await cache.get(reingested, read)).days[0].events).toBe(5);
    expect(reads).toHaveLength(5);
  });
});
