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

const READ_ITEMS = `
UNWIND $idxs AS idx
MATCH (i:Item {dataset: $dataset, idx: idx}) USING INDEX SEEK i:Item(dataset, idx)
CALL (i) {
  MATCH (i)<-[x:INTERACTED]-()
  RETURN sum(CASE x.split WHEN 'train' THEN 1 ELSE 0 END) AS train,
         sum(CASE x.split WHEN 'valid' THEN 1 ELSE 0 END) AS valid,
         sum(CASE x.split WHEN 'test' THEN 1 ELSE 0 END) AS test
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:ABOUT]-(f:Feedback)
  RETURN count(f) AS feedback
}
CALL (i) {
  OPTIONAL MATCH (i)-[h:HAS_FEATURE]->(m:Modality)
  WITH h, m ORDER BY m.name
  WITH h, m, h.values AS v
  RETURN collect(CASE WHEN h IS NULL THEN NULL ELSE {
    modality: m.name, width: size(v),
    norm: sqrt(reduce(s = 0.0, x IN v | s + x * x)),
    mean: reduce(s = 0.0, x IN v | s + x) / size(v),
    min: reduce(m = v[0], x IN v | CASE WHEN x < m THEN x ELSE m END),
    max: reduce(m = v[0], x IN v | CASE WHEN x > m THEN x ELSE m END)
  } END) AS features
}
RETURN i.id AS id, i.idx AS idx, train, valid, test, feedback, features`;

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

/** Items of `dataset` by dense index, in the order of `idxs` (null where there is no such item). */
export async function readItems(client: GraphClient, dataset: string, idxs: readonly number[]): Promise<(ItemRecord | null)[]> {
  const rows = await client.read(async (tx) => (await tx.run(READ_ITEMS, { dataset, idxs: [...new Set(idxs)] })).records.map((r) => r.toObject()));
  const byIdx = new Map<number, ItemRecord>();
  for (const r of rows) {
    byIdx.set(r.idx as number, {
      dataset,
      id: r.id as string,
      idx: r.idx as number,
      interactions: { train: r.train as number, valid: r.valid as number, test: r.test as number },
      feedback: r.feedback as number,
      features: r.features as FeatureSummary[],
    });
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
