// Per-request DataLoaders over the batch reads: every user and item a GraphQL request touches in one tick of the
// event loop is fetched in one query per dataset. Create a fresh set per request (no cache shared across users).
import DataLoader from 'dataloader';
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { readItems, readUsers, type ItemRecord, type UserRecord } from './catalogue-reads';

export interface ItemKey {
  dataset: string;
  idx: number;
}

export interface UserKey {
  dataset: string;
  id: string;
}

export interface GraphLoaders {
  item: DataLoader<ItemKey, ItemRecord, string>;
  user: DataLoader<UserKey, UserRecord, string>;
}

export function createGraphLoaders(client: GraphClient): GraphLoaders {
  return {
    item: new DataLoader<ItemKey, ItemRecord, string>(
      (keys) => byDataset(keys, (dataset, part) => readItems(client, dataset, part.map((k) => k.idx)), (k) => `item index ${k.idx}`),
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
