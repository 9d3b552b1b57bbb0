// freshBatch, batchNodes and batchGroups: the rows of a batch of pairs, with each user and item listed once per statement by element id.
import { collapseEvents } from '../../../libs/graph/src/ingest/collapse-events';
import { batchGroups, batchNodes, shareRefPrefix } from '../../../libs/graph/src/ingest/batch-nodes';
import { freshBatch, freshBatchPairs } from '../../../libs/graph/src/ingest/pair-rows';
import type { PreparedDataset } from '../../../libs/graph/src/ingest/prepare';
import { REPEAT_LOG, interRows, type EventTuple } from '../../helpers/inter-rows';

const USERS = ['a', 'b', 'c'];
const ITEMS = ['x', 'y', 'z'];
const REFS = ['4:db:10', '4:db:11', '4:db:12'];

/** Events [user, item, time, rating, split] collapsed under `first` into a prepared dataset. */
function prepared(list: EventTuple[], eventKeys?: string[]): PreparedDataset {
  const events = interRows(list, { userTokens: USERS, itemTokens: ITEMS, splitGiven: true, eventKeys });
  const { pairs, repeats, conflicts } = collapseEvents(events, USERS.length, 'first', { file: 'log.csv', locate: (e) => `line ${e + 2}`, userIds: USERS, itemIds: ITEMS });
  return {
    name: 'd', fingerprint: 'f', userIds: USERS, itemIds: ITEMS, rows: pairs, events, repeats, policy: 'first', conflicts,
    split: { made: 'input' }, source: 'log.csv', splitCounts: { train: 0, valid: 0, test: 0 }, modalities: [],
  };
}

// pairs, sorted by user then item: (a,y) (a,z) (b,x) (b,y) twice: 200 then 100 -> earliest 100 (c,z) (REPEAT_LOG)
const LOG = REPEAT_LOG;

describe('freshBatch', () => {
  it('groups plain pairs by user and lists each item once, in order of first use', () => {
    const batch = freshBatch(prepared(LOG), 0, 5, REFS);
    // plain pairs: (a,y) (a,z) (b,x) (c,z); items in first use: y z x
    expect(batch.groupItems).toEqual(['4:db:11', '4:db:12', '4:db:10']);
    expect(batch.groups).toEqual([
      [0, [[0, 1, 4, 10], [1, 0, 5, 30]]],
      [1, [[2, 2, 3, 20]]],
      [2, [[1, 0, 1, 40]]],
    ]);
    // (b,y) has two events: a row with every property, its item y at position 0 of its own list
    expect(batch.otherItems).toEqual(['4:db:11']);
    expect(batch.others).toEqual([[1, 0, 0, 4, 100, 2, 2, [100, 200], [4, 2], null, ['log.csv', 'log.csv'], null]]);
    expect(freshBatchPairs(batch)).toBe(5);
  });

  it('covers only the pairs from..to-1, with positions into that batch\'s own lists', () => {
    const batch = freshBatch(prepared(LOG), 2, 5, REFS);
    expect(batch.groupItems).toEqual(['4:db:10', '4:db:12']);
    expect(batch.groups).toEqual([[1, [[0, 2, 3, 20]]], [2, [[1, 0, 1, 40]]]]);
    expect(batch.others.map((r) => r.slice(0, 2))).toEqual([[1, 0]]);
    expect(freshBatchPairs(batch)).toBe(3);
  });

  it('writes every pair with its event ids through the full row when the events have ids', () => {
    const batch = freshBatch(prepared(LOG.slice(0, 2), ['e1', 'e2']), 0, 2, REFS);
    expect(batch.groups).toEqual([]);
    expect(batch.otherItems).toEqual(['4:db:12', '4:db:11']);
    expect(batch.others).toEqual([
      [0, 0, 0, 5, 30, null, null, null, null, null, null, ['e1']],
      [1, 1, 0, 2, 200, null, null, null, null, null, null, ['e2']],
    ]);
  });
});

describe('batchNodes', () => {
  it('replaces each row\'s user and item by positions in lists that hold each element id once', () => {
    const users = ['u0', 'u1', 'u2'];
    const items = ['i0', 'i1', 'i2', 'i3'];
    const out = batchNodes([[2, 3, 'a'], [2, 1, 'b'], [0, 3, 'c'], [1, 1, 'd']], users, items);
    expect(out.users).toEqual(['u2', 'u0', 'u1']);
    expect(out.items).toEqual(['i3', 'i1']);
    expect(out.rows).toEqual([[0, 0, 'a'], [0, 1, 'b'], [1, 0, 'c'], [2, 1, 'd']]);
  });
});

describe('shareRefPrefix', () => {
  it('sends the element ids\' common beginning once and the rest of each, which put together give every id back', () => {
    const users = ['4:9f2c-41:1203', '4:9f2c-41:17'];
    const items = ['4:9f2c-41:1299'];
    const out = shareRefPrefix(users, items);
    // the common beginning may end inside the numbers: only the strings count
    expect(out).toEqual({ refPrefix: '4:9f2c-41:1', users: ['203', '7'], items: ['299'] });
    expect([...out.users, ...out.items].map((r) => out.refPrefix + r)).toEqual([...users, ...items]);
  });

  it('keeps whole ids when they share nothing, and an empty prefix for no ids', () => {
    expect(shareRefPrefix(['u2'], ['i3'])).toEqual({ refPrefix: '', users: ['u2'], items: ['i3'] });
    expect(shareRefPrefix([], [])).toEqual({ refPrefix: '', users: [], items: [] });
    // one id alone is all prefix
    expect(shareRefPrefix(['4:a:1'], [])).toEqual({ refPrefix: '4:a:1', users: [''], items: [] });
  });
});

describe('batchGroups', () => {
  it('gathers each user\'s rows into one group, in order of first use, with its items as positions and the rows\' tags', () => {
    const users = ['u0', 'u1', 'u2'];
    const items = ['i0', 'i1', 'i2', 'i3'];
    // user 2's rows are not next to each other: they still make one group
    const out = batchGroups([[2, 3, 7], [0, 1, 8], [2, 1, 9], [1, 3, 10]], users, items);
    expect(out.users).toEqual(['u2', 'u0', 'u1']);
    expect(out.items).toEqual(['i3', 'i1']);
    expect(out.groups).toEqual([
      [0, [0, 1], [7, 9]],
      [1, [1], [8]],
      [2, [0], [10]],
    ]);
  });
});
