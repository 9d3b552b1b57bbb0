// Batch reads of users and items for the API: one query per batch of keys, results in key order with null for a
// key the graph does not hold (the DataLoaders in loaders.ts turn those into NOT_FOUND errors).
import type { GraphClient } from '../db/client';

/** One modality of an item's features, summarised (the vectors themselves stay in the graph). */
export interface FeatureSummary {
  modality: string;
  width: number;
  /** Euclidean norm of the vector. */
  norm: number;
  mean: number;
  min: number;
  max: number;
}

export interface ItemRecord {
  dataset: string;
  id: string;
  idx: number;
  /** Interactions per split of the ingested data. */
  interactions: { train: number; valid: number; test: number };
  /** Interactions recorded through the API since ingestion. */
  feedback: number;
  features: FeatureSummary[];
}

export interface UserRecord {
  dataset: string;
  id: string;
  idx: number;
  interactions: { train: number; valid: number; test: number };
  feedback: number;
}

// The static part of an item (split counts, feature summaries) never changes for an ingested dataset, so callers
// may pass the indexes they already hold (`known`): for those only the feedback count is read.
const READ_ITEMS = `
UNWIND $idxs AS idx
MATCH (i:Item {dataset: $dataset, idx: idx}) USING INDEX SEEK i:Item(dataset, idx)
WITH i, idx IN $known AS known
OPTIONAL CALL (i, known) {
  WITH i WHERE NOT known
  MATCH (i)<-[x:INTERACTED]-()
  RETURN sum(CASE x.split WHEN 'train' THEN 1 ELSE 0 END) AS train,
         sum(CASE x.split WHEN 'valid' THEN 1 ELSE 0 END) AS valid,
         sum(CASE x.split WHEN 'test' THEN 1 ELSE 0 END) AS test
}
OPTIONAL CALL (i, known) {
  WITH i WHERE NOT known
  MATCH (i)-[h:HAS_FEATURE]->(m:Modality)
  WITH h, m ORDER BY m.name
  WITH h, m, h.values AS v
  RETURN collect({
    modality: m.name, width: size(v),
    norm: sqrt(reduce(s = 0.0, x IN v | s + x * x)),
    mean: reduce(s = 0.0, x IN v | s + x) / size(v),
    min: reduce(m = v[0], x IN v | CASE WHEN x < m THEN x ELSE m END),
    max: reduce(m = v[0], x IN v | CASE WHEN x > m THEN x ELSE m END)
  }) AS features
}
RETURN i.id AS id, i.idx AS idx, known, train, valid, test, COUNT { (i)<-[:ABOUT]-(:Feedback) } AS feedback, features`;

const READ_USERS = `
UNWIND $ids AS id
MATCH (u:User {dataset: $dataset, id: id}) USING INDEX SEEK u:User(dataset, id)
CALL (u) {
  MATCH (u)-[x:INTERACTED]->()
  RETURN sum(CASE x.split WHEN 'train' THEN 1 ELSE 0 END) AS train,
         sum(CASE x.split WHEN 'valid' THEN 1 ELSE 0 END) AS valid,
         sum(CASE x.split WHEN 'test' THEN 1 ELSE 0 END) AS test
}
CALL (u) {
  OPTIONAL MATCH (u)-[:GAVE]->(f:Feedback)
  RETURN count(f) AS feedback
}
RETURN u.id AS id, u.idx AS idx, train, valid, test, feedback`;

/** The parts of an item that never change once its dataset is ingested. */
export type StaticItem = Omit<ItemRecord, 'feedback'>;

/**
 * Items of `dataset` by dense index, in the order of `idxs` (null where there is no such item), in one query.
 * `known` holds static parts read before (for the same ingested data): those items only get their feedback count.
 */
export async function readItems(client: GraphClient, dataset: string, idxs: readonly number[], known: ReadonlyMap<number, StaticItem> = new Map()): Promise<(ItemRecord | null)[]> {
  const unique = [...new Set(idxs)];
  const rows = await client.read(async (tx) => (await tx.run(READ_ITEMS, { dataset, idxs: unique, known: unique.filter((i) => known.has(i)) })).records.map((r) => r.toObject()));
  const byIdx = new Map<number, ItemRecord>();
  for (const r of rows) {
    const idx = r.idx as number;
    const fixed: StaticItem = r.known
      ? (known.get(idx) as StaticItem)
      : { dataset, id: r.id as string, idx, interactions: { train: r.train ?? 0, valid: r.valid ?? 0, test: r.test ?? 0 }, features: (r.features ?? []) as FeatureSummary[] };
    byIdx.set(idx, { ...fixed, feedback: r.feedback as number });
  }
  return idxs.map((idx) => byIdx.get(idx) ?? null);
}

/** Users of `dataset` by id (their token in the dataset's files), in the order of `ids` (null where unknown). */
export async function readUsers(client: GraphClient, dataset: string, ids: readonly string[]): Promise<(UserRecord | null)[]> {
  const rows = await client.read(async (tx) => (await tx.run(READ_USERS, { dataset, ids: [...new Set(ids)] })).records.map((r) => r.toObject()));
  const byId = new Map<string, UserRecord>();
  for (const r of rows) {
    byId.set(r.id as string, {
      dataset,
      id: r.id as string,
      idx: r.idx as number,
      interactions: { train: r.train as number, valid: r.valid as number, test: r.test as number },
      feedback: r.feedback as number,
    });
  }
  return ids.map((id) => byId.get(id) ?? null);
}

/** Feedback recorded per item of a dataset (items without feedback are absent). */
export async function readFeedbackCounts(client: GraphClient, dataset: string): Promise<Map<number, number>> {
  const rows = await client.read(async (tx) => (await tx.run('MATCH (f:Feedback {dataset: $dataset}) RETURN f.itemIdx AS idx, count(*) AS n', { dataset })).records);
  return new Map(rows.map((r) => [r.get('idx') as number, r.get('n') as number]));
}
