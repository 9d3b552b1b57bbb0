// Per-request DataLoaders over the batch reads: every user and item a GraphQL request touches in one tick of the
// event loop is fetched in one query per dataset. Create a fresh set per request (no cache shared across users).
import DataLoader from 'dataloader';
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { readFeedbackCounts, readItems, readUsers, type ItemRecord, type StaticItem, type UserRecord } from './catalogue-reads';

export interface ItemKey {
  dataset: string;
  idx: number;
}

/**
 * Item records shared across requests, per dataset and fingerprint of its ingested data (a re-ingest with other
 * content has another fingerprint, so nothing stale is ever served). The static parts (split counts, feature
 * summaries) are kept; the dataset's feedback counts are re-read in one query when older than `feedbackTtlMs`: a
 * request finding them older than that but not older than twice that gets them at once while the read runs in the
 * background (one read at a time per dataset), so requests do not wait on the graph for counts under steady traffic,
 * and counts lag feedback written by other processes by at most 2 x `feedbackTtlMs`. `forgetFeedback` drops them
 * after a write by this process: the next request waits for a read started after it.
 */
export class ItemCache {
  private readonly byDataset = new Map<string, CacheEntry>();

  constructor(
    readonly feedbackTtlMs = 2_000,
    private readonly maxItemsPerDataset = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  forDataset(dataset: string, fingerprint: string): { items: Map<number, StaticItem> } {
    let entry = this.byDataset.get(dataset);
    if (!entry || entry.fingerprint !== fingerprint) {
      entry = { fingerprint, items: new Map(), feedback: null, reading: null, writes: 0 };
      this.byDataset.set(dataset, entry);
    }
    if (entry.items.size > this.maxItemsPerDataset) entry.items.clear();
    return entry;
  }

  /** The dataset's feedback counts by item index (see the class comment for how old they may be); `read` reads them. */
  feedbackCounts(dataset: string, fingerprint: string, read: () => Promise<Map<number, number>>): Promise<Map<number, number>> {
    this.forDataset(dataset, fingerprint);
    const entry = this.byDataset.get(dataset)!;
    const age = entry.feedback ? this.now() - entry.feedback.at : Infinity;
    if (age <= this.feedbackTtlMs) return Promise.resolve(entry.feedback!.counts);
    if (!entry.reading) {
      const at = this.now();
      const writes = entry.writes;
      const reading = read().then((counts) => {
        // a write by this process while the read ran may be missing from it: keep it only when there was none
        if (entry.writes === writes) entry.feedback = { at, counts };
        return counts;
      });
      entry.reading = reading;
      void reading.then(
        () => entry.reading === reading && (entry.reading = null),
        () => entry.reading === reading && (entry.reading = null),
      );
    }
    return age <= 2 * this.feedbackTtlMs ? Promise.resolve(entry.feedback!.counts) : entry.reading;
  }

  forgetFeedback(dataset: string): void {
    const entry = this.byDataset.get(dataset);
    if (!entry) return;
    entry.feedback = null;
    entry.reading = null;
    entry.writes++;
  }
}

interface CacheEntry {
  fingerprint: string;
  items: Map<number, StaticItem>;
  feedback: FeedbackCounts | null;
  /** The read of the counts under way, if any. */
  reading: Promise<Map<number, number>> | null;
  /** Writes by this process so far (a read that spans one is not kept). */
  writes: number;
}

interface FeedbackCounts {
  at: number;
  counts: Map<number, number>;
}

export interface UserKey {
  dataset: string;
  id: string;
}

export interface GraphLoaders {
  item: DataLoader<ItemKey, ItemRecord, string>;
  user: DataLoader<UserKey, UserRecord, string>;
}

/**
 * `fingerprintOf(dataset)` names the ingested data a dataset's items come from (the serving model's), or null when
 * unknown: then items are read whole and nothing is cached.
 */
export function createGraphLoaders(client: GraphClient, cache?: ItemCache, fingerprintOf: (dataset: string) => string | null = () => null): GraphLoaders {
  const readWithCache = async (dataset: string, idxs: number[]): Promise<(ItemRecord | null)[]> => {
    const fingerprint = cache ? fingerprintOf(dataset) : null;
    if (!cache || !fingerprint) return readItems(client, dataset, idxs);
    const entry = cache.forDataset(dataset, fingerprint);
    const missing = idxs.filter((i) => !entry.items.has(i));
    if (missing.length > 0) {
      for (const r of await readItems(client, dataset, missing, entry.items)) {
        if (r) keepStatic(entry.items, r);
      }
    }
    const feedback = await cache.feedbackCounts(dataset, fingerprint, () => readFeedbackCounts(client, dataset));
    return idxs.map((i) => {
      const fixed = entry.items.get(i);
      return fixed ? { ...fixed, feedback: feedback.get(i) ?? 0 } : null;
    });
  };
  return {
    item: new DataLoader<ItemKey, ItemRecord, string>(
      (keys) => byDataset(keys, (dataset, part) => readWithCache(dataset, part.map((k) => k.idx)), (k) => `item index ${k.idx}`),
      { cacheKeyFn: (k) => `${k.dataset}\u0000${k.idx}` },
    ),
    user: new DataLoader<UserKey, UserRecord, string>(
      (keys) => byDataset(keys, (dataset, part) => readUsers(client, dataset, part.map((k) => k.id)), (k) => `user ${JSON.stringify(k.id)}`),
      { cacheKeyFn: (k) => `${k.dataset}\u0000${k.id}` },
    ),
  };
}

/** One read per dataset among the keys; results back in key order, an Error where a key has no record. */
async function byDataset<K extends { dataset: string }, V>(
  keys: readonly K[],
  read: (dataset: string, keys: K[]) => Promise<(V | null)[]>,
  name: (key: K) => string,
): Promise<(V | Error)[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((k, n) => groups.set(k.dataset, [...(groups.get(k.dataset) ?? []), n]));
  const out = new Array<V | Error>(keys.length);
  await Promise.all(
    [...groups].map(async ([dataset, positions]) => {
      const found = await read(dataset, positions.map((n) => keys[n]));
      positions.forEach((n, k) => {
        out[n] = found[k] ?? new GraphError('NOT_FOUND', `${name(keys[n])} is not in dataset '${dataset}'`);
      });
    }),
  );
  return out;
}

/** Items read per query when warming the cache. */
const WARM_BATCH = 2_000;

/**
 * Reads the static parts of every item of a dataset into the cache (in batches), so serving never waits on the
 * graph for them: the API runs it in the background when a model starts serving.
 */
export async function warmItemCache(client: GraphClient, cache: ItemCache, dataset: string, fingerprint: string, numItems: number): Promise<number> {
  const { items } = cache.forDataset(dataset, fingerprint);
  let read = 0;
  for (let from = 0; from < numItems; from += WARM_BATCH) {
    const idxs = Array.from({ length: Math.min(WARM_BATCH, numItems - from) }, (_, k) => from + k).filter((i) => !items.has(i));
    if (idxs.length === 0) continue;
    for (const r of await readItems(client, dataset, idxs)) {
      if (r) keepStatic(items, r);
    }
    read += idxs.length;
  }
  return read;
}

/** Keeps an item's static parts (everything but its feedback count) unless they are kept already. */
function keepStatic(items: Map<number, StaticItem>, r: ItemRecord): void {
  if (!items.has(r.idx)) items.set(r.idx, { dataset: r.dataset, id: r.id, idx: r.idx, interactions: r.interactions, features: r.features });
}
