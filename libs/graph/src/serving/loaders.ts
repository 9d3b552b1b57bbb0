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
 * summaries) are kept; the dataset's feedback counts are re-read in one query when older than `feedbackTtlMs`, so
 * they lag feedback written by other processes by at most that long (`forgetFeedback` drops them at once after a
 * write by this process).
 */
export class ItemCache {
  private readonly byDataset = new Map<string, { fingerprint: string; items: Map<number, StaticItem>; feedback: FeedbackCounts | null }>();

  constructor(
    readonly feedbackTtlMs = 2_000,
    private readonly maxItemsPerDataset = 200_000,
  ) {}

  forDataset(dataset: string, fingerprint: string): { items: Map<number, StaticItem>; feedback: FeedbackCounts | null } {
    let entry = this.byDataset.get(dataset);
    if (!entry || entry.fingerprint !== fingerprint) {
      entry = { fingerprint, items: new Map(), feedback: null };
      this.byDataset.set(dataset, entry);
    }
    if (entry.items.size > this.maxItemsPerDataset) entry.items.clear();
    return entry;
  }

  setFeedback(dataset: string, counts: FeedbackCounts): void {
    const entry = this.byDataset.get(dataset);
    if (entry) entry.feedback = counts;
  }

  forgetFeedback(dataset: string): void {
    const entry = this.byDataset.get(dataset);
    if (entry) entry.feedback = null;
  }
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
    let feedback = entry.feedback;
    if (!feedback || Date.now() - feedback.at > cache.feedbackTtlMs) {
      feedback = { at: Date.now(), counts: await readFeedbackCounts(client, dataset) };
      cache.setFeedback(dataset, feedback);
    }
    return idxs.map((i) => {
      const fixed = entry.items.get(i);
      return fixed ? { ...fixed, feedback: feedback.counts.get(i) ?? 0 } : null;
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
