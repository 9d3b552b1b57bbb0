// Repeated events are data: every event of a (user, item) pair is kept, and a switchable policy collapses them
// into the one training pair (one INTERACTED relationship) that the pair becomes. A pair has exactly one split,
// so it can never be in train and in valid/test at once; where the input labels its events with different
// splits, the policy's representative event decides, and the conflicts are counted for the person to read.
import { InputFileError } from '../errors';
import type { InterRows, Split } from './inter-reader';
import { SPLITS } from './inter-reader';
import { Growable } from './growable';

/**
 * first: the pair takes the time, rating and split label of its earliest event (default);
 * last: of its latest event; refuse: a repeated pair is an error (the behaviour before repeats were data).
 * In every case the pair keeps its event count and the sum of its events' weights (1 per event without weights).
 */
export const REPEAT_POLICIES = ['first', 'last', 'refuse'] as const;
export type RepeatPolicy = (typeof REPEAT_POLICIES)[number];
export const DEFAULT_REPEAT_POLICY: RepeatPolicy = 'first';

/** Split value of an event whose input has no split column. */
export const NO_SPLIT = 255;

export interface PairRows {
  count: number;
  users: Int32Array;
  items: Int32Array;
  /** 0 train, 1 valid, 2 test (NO_SPLIT until a split is made when the input has none). */
  splits: Uint8Array;
  /** The representative event's rating and time (NaN: none). */
  ratings?: Float64Array;
  timestamps?: Float64Array;
  /** Events of the pair. */
  events: Int32Array;
  /**
   * Sum of the events' weights (NaN counted as 1); undefined when the input has no weight column, where a pair's
   * weight is its number of events (pairWeight): 76 MB less for 10,000,000 events.
   */
  weights?: Float64Array;
  /** The pair's events are order[start[p]] .. order[start[p + 1] - 1], earliest first (file order on ties). */
  start: Int32Array;
  order: Int32Array;
}

/** The sum of pair p's event weights. */
export const pairWeight = (pairs: PairRows, p: number): number => (pairs.weights ? pairs.weights[p] : pairs.events[p]);

export interface SplitConflicts {
  /** Pairs whose events carry more than one split label. */
  pairs: number;
  /** Where those pairs went. */
  resolvedTo: Record<Split, number>;
  rule: string;
}

export interface CollapseResult {
  pairs: PairRows;
  /** Events minus pairs: events that repeat a pair seen before. */
  repeats: number;
  conflicts: SplitConflicts;
}

/** Where an event came from, for error messages: "line 12" or "row 10". */
export type Locate = (event: number) => string;

export interface EventSource {
  file: string;
  locate: Locate;
  /** Tokens by dense index, to name a refused pair. */
  userIds: readonly string[];
  itemIds: readonly string[];
}

/**
 * Groups events (users and items already dense indexes) by pair. Counting sort by user, then each user's events
 * by item, time and file position: O(events) plus small sorts, so 10M events stay a few seconds.
 */
export function collapseEvents(
  rows: InterRows,
  numUsers: number,
  policy: RepeatPolicy,
  source: EventSource,
): CollapseResult {
  const n = rows.count;
  const userStart = new Int32Array(numUsers + 1);
  for (let e = 0; e < n; e++) userStart[rows.users[e] + 1]++;
  for (let u = 0; u < numUsers; u++) userStart[u + 1] += userStart[u];
  const order = new Int32Array(n);
  const fill = userStart.slice(0, numUsers);
  for (let e = 0; e < n; e++) order[fill[rows.users[e]]++] = e;

  const { items, timestamps } = rows;
  const time = (e: number): number => {
    const t = timestamps ? timestamps[e] : Number.NaN;
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t; // events without a time sort after timed ones
  };
  const byItemTimeRow = (a: number, b: number): number => items[a] - items[b] || time(a) - time(b) || a - b;
  for (let u = 0; u < numUsers; u++) {
    if (userStart[u + 1] - userStart[u] > 1) order.subarray(userStart[u], userStart[u + 1]).sort(byItemTimeRow);
  }

  // Pair boundaries in the sorted order (a typed array: 10M events must not become 10M boxed numbers).
  const boundaries = new Growable(Int32Array, 1 << 20);
  for (let k = 0; k < n; k++) {
    const e = order[k];
    if (k === 0 || rows.users[e] !== rows.users[order[k - 1]] || items[e] !== items[order[k - 1]]) boundaries.push(k);
  }
  const count = boundaries.length;
  boundaries.push(n);
  const starts = boundaries.values();

  const pairs: PairRows = {
    count,
    users: new Int32Array(count),
    items: new Int32Array(count),
    splits: new Uint8Array(count),
    ratings: rows.ratings ? new Float64Array(count) : undefined,
    timestamps: timestamps ? new Float64Array(count) : undefined,
    events: new Int32Array(count),
    weights: rows.weights ? new Float64Array(count) : undefined,
    start: starts,
    order,
  };
  const conflicts: SplitConflicts = { pairs: 0, resolvedTo: { train: 0, valid: 0, test: 0 }, rule: '' };
  for (let p = 0; p < count; p++) {
    const from = starts[p];
    const to = starts[p + 1];
    if (policy === 'refuse' && to - from > 1) refuseRepeat(rows, order.subarray(from, to), source);
    const rep = order[policy === 'last' ? to - 1 : from];
    pairs.users[p] = rows.users[rep];
    pairs.items[p] = items[rep];
    pairs.splits[p] = rows.splits[rep];
    if (pairs.ratings) pairs.ratings[p] = rows.ratings![rep];
    if (pairs.timestamps) pairs.timestamps[p] = timestamps![rep];
    pairs.events[p] = to - from;
    let weight = 0;
    let mixed = false;
    for (let k = from; k < to; k++) {
      const w = rows.weights ? rows.weights[order[k]] : 1;
      weight += Number.isNaN(w) ? 1 : w;
      mixed ||= rows.splits[order[k]] !== pairs.splits[p];
    }
    if (pairs.weights) pairs.weights[p] = weight;
    if (mixed && pairs.splits[p] !== NO_SPLIT) {
      conflicts.pairs++;
      conflicts.resolvedTo[SPLITS[pairs.splits[p]]]++;
    }
  }
  conflicts.rule =
    policy === 'last'
      ? 'a pair whose events carry different split labels takes the label of its latest event'
      : 'a pair whose events carry different split labels takes the label of its earliest event';
  return { pairs, repeats: n - count, conflicts };
}

function refuseRepeat(rows: InterRows, events: Int32Array, source: EventSource): never {
  const [first, second] = Array.from(events).sort((a, b) => a - b);
  throw new InputFileError(
    source.file,
    source.locate(second),
    `repeats the interaction of user '${source.userIds[rows.users[second]]}' with item '${source.itemIds[rows.items[second]]}' ` +
      `from ${source.locate(first)}: with --repeats refuse each (user, item) pair may appear once (first or last keep repeats)`,
  );
}
