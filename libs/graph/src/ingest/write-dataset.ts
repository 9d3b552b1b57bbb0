// Writes a prepared dataset into the graph in batched UNWIND statements. A run that resumes one that died
// MERGEs everything on the uniqueness constraints (ON CREATE SET only), so a run killed at any point and
// started again ends with exactly the graph of a run that was never killed. A fresh run, which owns its new
// dataset node and whose input has no repeated id or pair, CREATEs without the existence checks.
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { SPLITS } from './inter-reader';
import type { PreparedDataset } from './prepare';
import { freshBatch, freshBatchPairs, interactionRow } from './pair-rows';

export type WriteStage = 'users' | 'items' | 'features' | 'interactions';
export type WriteProgress = (stage: WriteStage, done: number, total: number) => void;

export interface WriteOptions {
  /** Rows per UNWIND batch for users, items and interactions. */
  batchSize: number;
  /** True when no relationship of this dataset can exist yet (this run created its dataset node). */
  fresh: boolean;
  onProgress?: WriteProgress;
}

/** Numbers of floats per feature batch: keeps a transaction's parameter map around a few MB. */
const FEATURE_VALUES_PER_BATCH = 250_000;

export const MERGE_USERS = `
UNWIND $rows AS r
MERGE (u:User {dataset: $dataset, id: r[0]})
ON CREATE SET u.idx = toInteger(r[1])`;

export const MERGE_ITEMS = `
UNWIND $rows AS r
MERGE (i:Item {dataset: $dataset, id: r[0]})
ON CREATE SET i.idx = toInteger(r[1]), i.absent = r[2]`;

// A fresh run creates nodes outright: the uniqueness constraints would refuse a duplicate anyway. Its items' element
// ids come back, in row order, for the pairs to find them by.
const CREATE_USERS = `
UNWIND $rows AS r
CREATE (:User {dataset: $dataset, id: r[0], idx: toInteger(r[1])})`;

const CREATE_ITEMS = `
UNWIND $rows AS r
CREATE (i:Item {dataset: $dataset, id: r[0], idx: toInteger(r[1]), absent: r[2]})
RETURN elementId(i) AS ref`;

// Every pattern here has one possible plan. On a fresh store the planner's statistics say the labels are
// empty, and with room to choose it picked plans that scan per row (tens of seconds for one batch of 10,000):
// USING INDEX SEEK pins the (dataset, idx) seeks (a plain USING INDEX was satisfied by a full index scan),
// and the feature check expands from the item alone (the relationship names its modality), never from the
// modality node, which gets one relationship per item.
export const MERGE_FEATURES = `
MATCH (m:Modality {dataset: $dataset, name: $modality}) USING INDEX SEEK m:Modality(dataset, name)
UNWIND $rows AS r
MATCH (i:Item {dataset: $dataset, idx: toInteger(r[0])}) USING INDEX SEEK i:Item(dataset, idx)
WHERE NOT EXISTS { (i)-[:HAS_FEATURE {modality: $modality}]->() }
CREATE (i)-[:HAS_FEATURE {modality: $modality, values: r[1]}]->(m)`;

const CREATE_FEATURES = `
MATCH (m:Modality {dataset: $dataset, name: $modality}) USING INDEX SEEK m:Modality(dataset, name)
UNWIND $rows AS r
MATCH (i:Item {dataset: $dataset, idx: toInteger(r[0])}) USING INDEX SEEK i:Item(dataset, idx)
CREATE (i)-[:HAS_FEATURE {modality: $modality, values: r[1]}]->(m)`;

const MERGE_INTERACTIONS = `
UNWIND $rows AS r
MATCH (u:User {dataset: $dataset, idx: toInteger(r[0])}) USING INDEX SEEK u:User(dataset, idx)
MATCH (i:Item {dataset: $dataset, idx: toInteger(r[1])}) USING INDEX SEEK i:Item(dataset, idx)
MERGE (u)-[x:INTERACTED]->(i)
ON CREATE SET x.split = $splits[toInteger(r[2])], x.rating = r[3], x.timestamp = toInteger(r[4]), x.events = r[5], x.weight = r[6],
              x.eventTimes = r[7], x.eventRatings = r[8], x.eventWeights = r[9], x.eventSources = r[10], x.eventIds = r[11]`;

// A fresh run's pairs (pair-rows.ts): the batch's items are found once each by element id, checked to be this
// dataset's items, and a pair takes its item by position; a missing item leaves the list short and the statement
// creates nothing, which the caller sees in the count of created relationships.
const FRESH_ITEMS = `
UNWIND $items AS ref
MATCH (i:Item) WHERE elementId(i) = ref AND i.dataset = $dataset
WITH collect(i) AS items
WHERE size(items) = size($items)`;

const CREATE_INTERACTIONS = `${FRESH_ITEMS}
UNWIND $rows AS r
MATCH (u:User {dataset: $dataset, idx: toInteger(r[0])}) USING INDEX SEEK u:User(dataset, idx)
WITH u, items[toInteger(r[1])] AS i, r
CREATE (u)-[:INTERACTED {split: $splits[toInteger(r[2])], rating: r[3], timestamp: toInteger(r[4]), events: r[5], weight: r[6],
                          eventTimes: r[7], eventRatings: r[8], eventWeights: r[9], eventSources: r[10], eventIds: r[11]}]->(i)`;

// The usual pair (one event of weight 1, no event id) with its three properties, grouped by user: one seek per user.
const CREATE_PLAIN_INTERACTIONS = `${FRESH_ITEMS}
UNWIND $groups AS g
MATCH (u:User {dataset: $dataset, idx: toInteger(g[0])}) USING INDEX SEEK u:User(dataset, idx)
UNWIND g[1] AS r
WITH u, items[toInteger(r[0])] AS i, r
CREATE (u)-[:INTERACTED {split: $splits[toInteger(r[1])], rating: r[2], timestamp: toInteger(r[3])}]->(i)`;

const MERGE_MODALITY = `
MERGE (m:Modality {dataset: $dataset, name: $name})
ON CREATE SET m.width = toInteger($width), m.dtype = $dtype, m.file = $file`;

export async function writeDataset(client: GraphClient, data: PreparedDataset, options: WriteOptions): Promise<void> {
  const { batchSize, onProgress, fresh } = options;
  const dataset = data.name;
  const run = (cypher: string, params: Record<string, unknown>) =>
    client.write(async (tx) => {
      await tx.run(cypher, { dataset, ...params });
    });

  for (const m of data.modalities) {
    await run(MERGE_MODALITY, { name: m.modality, width: m.width, dtype: m.dtype, file: m.file.split('/').pop() });
  }

  await writeBatches(data.userIds.length, batchSize, (from, to) =>
    run(fresh ? CREATE_USERS : MERGE_USERS, { rows: range(from, to).map((idx) => [data.userIds[idx], idx]) }),
    (done, total) => onProgress?.('users', done, total));

  // An item's absent modalities (no feature row, or an all-NaN one) are listed on it; null when it has them all.
  const absent = (idx: number): string[] | null => {
    const names = data.modalities.filter((m) => m.present && !m.present[idx]).map((m) => m.modality);
    return names.length > 0 ? names : null;
  };
  const itemRefs: string[] = [];
  await writeBatches(data.itemIds.length, batchSize, async (from, to) => {
    const rows = range(from, to).map((idx) => [data.itemIds[idx], idx, absent(idx)]);
    if (!fresh) return run(MERGE_ITEMS, { rows });
    const refs = await client.write(async (tx) => (await tx.run(CREATE_ITEMS, { dataset, rows })).records.map((r) => r.get('ref') as string));
    itemRefs.push(...refs);
  }, (done, total) => onProgress?.('items', done, total));

  const featureRows = data.modalities.length * data.itemIds.length;
  let featuresDone = 0;
  for (const m of data.modalities) {
    const perBatch = Math.max(1, Math.floor(FEATURE_VALUES_PER_BATCH / m.width));
    await writeBatches(data.itemIds.length, perBatch, async (from, to) => {
      const rows = range(from, to)
        .filter((idx) => !m.present || m.present[idx])
        .map((idx) => [idx, Array.from(m.data.subarray(idx * m.width, (idx + 1) * m.width))]);
      await run(fresh ? CREATE_FEATURES : MERGE_FEATURES, { modality: m.modality, rows });
    }, (done) => onProgress?.('features', featuresDone + done, featureRows));
    featuresDone += data.itemIds.length;
  }

  const { rows } = data;
  await writeBatches(rows.count, batchSize, (from, to) => {
    if (fresh) return createInteractions(client, data, from, to, itemRefs);
    const batch = new Array<unknown[]>(to - from);
    for (let r = from; r < to; r++) batch[r - from] = interactionRow(data, r);
    return run(MERGE_INTERACTIONS, { rows: batch, splits: SPLITS });
  }, (done, total) => onProgress?.('interactions', done, total));
}

/** A fresh run's batch of pairs in one transaction, which fails (and so writes nothing) unless it created every pair. */
async function createInteractions(client: GraphClient, data: PreparedDataset, from: number, to: number, itemRefs: readonly string[]): Promise<void> {
  const batch = freshBatch(data, from, to, itemRefs);
  await client.write(async (tx) => {
    let created = 0;
    const params = { dataset: data.name, splits: SPLITS };
    if (batch.groups.length > 0) {
      created += (await tx.run(CREATE_PLAIN_INTERACTIONS, { ...params, groups: batch.groups, items: batch.groupItems })).summary.counters.updates().relationshipsCreated;
    }
    if (batch.others.length > 0) {
      created += (await tx.run(CREATE_INTERACTIONS, { ...params, rows: batch.others, items: batch.otherItems })).summary.counters.updates().relationshipsCreated;
    }
    const expected = freshBatchPairs(batch);
    if (created !== expected) {
      throw new GraphError('CONFLICT', `dataset '${data.name}' lost users or items while its pairs were written (a batch found ${created} of its ${expected} pairs' nodes): was it deleted meanwhile? Run the ingest again`);
    }
  });
}

export async function writeBatches(
  total: number,
  batchSize: number,
  write: (from: number, to: number) => Promise<void>,
  progress: (done: number, total: number) => void,
): Promise<void> {
  progress(0, total);
  for (let from = 0; from < total; from += batchSize) {
    const to = Math.min(total, from + batchSize);
    await write(from, to);
    progress(to, total);
  }
}

export function range(from: number, to: number): number[] {
  const out = new Array<number>(to - from);
  for (let k = from; k < to; k++) out[k - from] = k;
  return out;
}
