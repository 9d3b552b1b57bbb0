import { collapseEvents, NO_SPLIT, pairWeight } from '../../../libs/graph/src/ingest/collapse-events';
import { holdoutSize, makeSplit } from '../../../libs/graph/src/ingest/auto-split';
import { interRows, type EventTuple } from '../../helpers/inter-rows';

/** Events already in dense indexes: [user, item, time, rating, split]. */
function events(list: EventTuple[], weights?: number[]) {
  return interRows(list, { userTokens: ['a', 'b'], itemTokens: ['x', 'y'], weights });
}

const SOURCE = { file: 'log.csv', locate: (e: number) => `line ${e + 2}`, userIds: ['a', 'b'], itemIds: ['x', 'y'] };

// e0..e4; (a, y) is watched three times: at 100 (train), 50 (test, the earliest), 200 (train).
const LOG: EventTuple[] = [
  [0, 1, 100, 5, 0],
  [0, 1, 50, 3, 2],
  [1, 0, 10, 4, 0],
  [0, 0, 20, 2, 1],
  [0, 1, 200, 1, 0],
];

describe('collapseEvents', () => {
  it('keeps one pair per user and item, with the earliest event deciding time, rating and split', () => {
    const { pairs, repeats, conflicts } = collapseEvents(events(LOG), 2, 'first', SOURCE);
    expect(repeats).toBe(2);
    expect(pairs.count).toBe(3);
    expect(Array.from(pairs.users)).toEqual([0, 0, 1]);
    expect(Array.from(pairs.items)).toEqual([0, 1, 0]);
    expect(Array.from(pairs.splits)).toEqual([1, 2, 0]);
    expect(Array.from(pairs.timestamps!)).toEqual([20, 50, 10]);
    expect(Array.from(pairs.ratings!)).toEqual([2, 3, 4]);
    expect(Array.from(pairs.events)).toEqual([1, 3, 1]);
    // without a weight column no weights are stored: a pair weighs its number of events
    expect(pairs.weights).toBeUndefined();
    expect([0, 1, 2].map((p) => pairWeight(pairs, p))).toEqual([1, 3, 1]);
    // the pair's events, earliest first
    expect(Array.from(pairs.order.subarray(pairs.start[1], pairs.start[2]))).toEqual([1, 0, 4]);
    expect(conflicts.pairs).toBe(1);
    expect(conflicts.resolvedTo).toEqual({ train: 0, valid: 0, test: 1 });
    expect(conflicts.rule).toMatch(/earliest event/);
  });

  it('takes the latest event under the last policy and sums the events\' weights', () => {
    const { pairs, conflicts } = collapseEvents(events(LOG, [1, 0.5, 2, 1, 0.25]), 2, 'last', SOURCE);
    expect(Array.from(pairs.splits)).toEqual([1, 0, 0]);
    expect(Array.from(pairs.ratings!)).toEqual([2, 1, 4]);
    expect(Array.from(pairs.timestamps!)).toEqual([20, 200, 10]);
    expect(Array.from(pairs.weights!)).toEqual([1, 1.75, 2]);
    expect([0, 1, 2].map((p) => pairWeight(pairs, p))).toEqual([1, 1.75, 2]);
    expect(conflicts.resolvedTo).toEqual({ train: 1, valid: 0, test: 0 });
  });

  it('refuses a repeated pair under the refuse policy, naming both lines', () => {
    expect(() => collapseEvents(events(LOG), 2, 'refuse', SOURCE)).toThrow(
      /log\.csv, line 3: repeats the interaction of user 'a' with item 'y' from line 2/,
    );
  });

  it('orders events without a time after the timed ones, then by file position', () => {
    const rows = events([[0, 0, NaN, 1, 0], [0, 0, 30, 2, 0], [0, 0, NaN, 3, 0]]);
    const { pairs } = collapseEvents(rows, 1, 'first', SOURCE);
    expect(Array.from(pairs.order)).toEqual([1, 0, 2]);
    expect(pairs.ratings![0]).toBe(2);
  });
});

describe('makeSplit', () => {
  /** One user with n pairs, item k at time times[k], no split given. */
  function onePerItem(times: number[]) {
    const rows = events(times.map((t, k) => [0, k, t, 1, NO_SPLIT]));
    return collapseEvents(rows, 1, 'first', { ...SOURCE, itemIds: times.map((_, k) => `i${k}`) }).pairs;
  }

  it('holds out 10% (at least one) for valid and for test, none from users with fewer than 3 pairs', () => {
    expect([1, 2, 3, 5, 14, 15, 25, 40].map(holdoutSize)).toEqual([0, 0, 1, 1, 1, 2, 3, 4]);
  });

  it('puts a user\'s latest pair in test and the one before in valid when every pair has a time', () => {
    const pairs = onePerItem([500, 100, 400, 200, 300]);
    expect(makeSplit(pairs, 1)).toEqual({ made: 'temporal' });
    // by time: items 1 (100), 3, 4, 2 (400), 0 (500)
    expect(Array.from(pairs.splits)).toEqual([2, 0, 1, 0, 0]);
  });

  it('makes a seeded random split when a time is missing: the same seed gives the same split', () => {
    const a = onePerItem([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10]);
    const b = onePerItem([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10]);
    expect(makeSplit(a, 7)).toEqual({ made: 'random', seed: 7 });
    makeSplit(b, 7);
    expect(Array.from(a.splits)).toEqual(Array.from(b.splits));
    expect(Array.from(a.splits).filter((s) => s === 2)).toHaveLength(1);
    expect(Array.from(a.splits).filter((s) => s === 1)).toHaveLength(1);
    const seeds = [1, 2, 3, 4, 5].map((seed) => {
      const c = onePerItem([1, 2, NaN, 4, 5, 6, 7, 8, 9, 10]);
      makeSplit(c, seed);
      return Array.from(c.splits).join('');
    });
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});
