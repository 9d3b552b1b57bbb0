// The rows a batch of training pairs is sent to Neo4j as. A resumed run MERGEs one row per pair with every property;
// a fresh run (its dataset node is new, so no pair can exist yet) CREATEs them, and there a batch lists each of its
// items once, by the element id its node got when this run created it: every pair then finds its item by position
// in that list instead of by an index seek of its own, and its user by one seek per user (the pairs come sorted by
// user).
import type { PreparedDataset } from './prepare';
import { pairWeight } from './collapse-events';
import { SPLITS } from './inter-reader';
import { pairProperties, type PairEvent } from './pair-events';
import { RefList } from './ref-list';

export const orNull = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);

/**
 * One pair's row: [user, item, split, rating, timestamp, events, weight, eventTimes, eventRatings, eventWeights,
 * eventSources, eventIds], the properties pairProperties gives (null properties are not stored).
 */
export function interactionRow(data: PreparedDataset, p: number): unknown[] {
  const { rows, events } = data;
  const n = rows.events[p];
  const key = (e: number) => (events.eventKeys ? { key: events.eventKeyTokens![events.eventKeys[e]] } : {});
  if (n === 1 && pairWeight(rows, p) === 1) {
    const ids = events.eventKeys ? [events.eventKeyTokens![events.eventKeys[rows.order[rows.start[p]]]]] : null;
    return [rows.users[p], rows.items[p], rows.splits[p], orNull(rows.ratings?.[p]), orNull(rows.timestamps?.[p]), null, null, null, null, null, null, ids];
  }
  const ids = rows.order.subarray(rows.start[p], rows.start[p + 1]);
  const list: PairEvent[] = Array.from(ids, (e) => ({
    time: events.timestamps ? events.timestamps[e] : Number.NaN,
    rating: events.ratings ? events.ratings[e] : Number.NaN,
    weight: events.weights && !Number.isNaN(events.weights[e]) ? events.weights[e] : 1,
    source: data.source,
    ...key(e),
  }));
  const x = pairProperties(list, SPLITS[rows.splits[p]], data.policy);
  return [rows.users[p], rows.items[p], rows.splits[p], x.rating, x.timestamp, x.events, x.weight, x.eventTimes, x.eventRatings, x.eventWeights, x.eventSources, x.eventIds];
}

/** A fresh run's batch of pairs; `item` in every row is a position in its statement's item list. */
export interface FreshBatch {
  /** Pairs of one event of weight 1 without an event id: [user idx, [[item, split, rating, timestamp], ...]] per user. */
  groups: [number, [number, number, number | null, number | null][]][];
  /** Element ids of the items of `groups`, each once, in order of first use. */
  groupItems: string[];
  /** The other pairs: interactionRow with the item as a position in `otherItems`. */
  others: unknown[][];
  otherItems: string[];
}

/** Pairs from..to-1 of a fresh run as a FreshBatch; itemRefs[idx] is the element id of item idx. */
export function freshBatch(data: PreparedDataset, from: number, to: number, itemRefs: readonly string[]): FreshBatch {
  const { rows, events } = data;
  const groupItems = new RefList(itemRefs);
  const otherItems = new RefList(itemRefs);
  const batch: FreshBatch = { groups: [], groupItems: groupItems.refs, others: [], otherItems: otherItems.refs };
  for (let p = from; p < to; p++) {
    if (rows.events[p] !== 1 || pairWeight(rows, p) !== 1 || events.eventKeys) {
      const row = interactionRow(data, p);
      row[1] = otherItems.position(rows.items[p]);
      batch.others.push(row);
      continue;
    }
    const u = rows.users[p];
    const last = batch.groups[batch.groups.length - 1];
    const group = last && last[0] === u ? last : (batch.groups[batch.groups.length] = [u, []]);
    group[1].push([groupItems.position(rows.items[p]), rows.splits[p], orNull(rows.ratings?.[p]), orNull(rows.timestamps?.[p])]);
  }
  return batch;
}

/** Relationships a FreshBatch creates: one per pair. */
export function freshBatchPairs(batch: FreshBatch): number {
  return batch.others.length + batch.groups.reduce((n, g) => n + g[1].length, 0);
}
