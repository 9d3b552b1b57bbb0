// Feedback recorded through the API: (:User)-[:GAVE]->(:Feedback {dataset, id, timestamp, ...})-[:ABOUT]->(:Item).
// A Feedback node per interaction id, MERGEd on the (dataset, id) constraint inside one transaction per call:
// a re-sent batch changes nothing, a batch with any bad row writes nothing, and the same id sent again with
// different content is refused rather than silently overwritten.
import type { GraphClient } from '../db/client';
import { ensureSchema } from '../db/schema';
import { GraphError } from '../errors';
import { requireDataset } from '../export/datasets';

export interface FeedbackInput {
  /** The caller's id of the interaction: the key that makes a re-send harmless. */
  id: string;
  userId: string;
  itemId: string;
  /** When it happened, Unix seconds. */
  timestamp: number;
  /** An explicit rating, when the interaction has one. */
  rating?: number | null;
  /** The served recommendation the interaction answers, when it answers one. */
  recommendationId?: string | null;
}

export interface FeedbackWriteResult {
  /** Interactions written by this call. */
  recorded: number;
  /** Interactions that were already stored with the same content (a re-send). */
  unchanged: number;
}

export interface FeedbackEdges {
  users: Int32Array;
  items: Int32Array;
  /** Unix seconds. */
  timestamps: Float64Array;
}

const FIND_MISSING = `
UNWIND $rows AS r
OPTIONAL MATCH (u:User {dataset: $dataset, id: r.userId})
OPTIONAL MATCH (i:Item {dataset: $dataset, id: r.itemId})
WITH r, u, i WHERE u IS NULL OR i IS NULL
RETURN r.id AS id, r.userId AS userId, r.itemId AS itemId, u IS NULL AS noUser, i IS NULL AS noItem LIMIT 5`;

const FIND_EXISTING = `
UNWIND $rows AS r
MATCH (u:User)-[:GAVE]->(f:Feedback {dataset: $dataset, id: r.id})-[:ABOUT]->(i:Item)
RETURN f.id AS id, u.id AS userId, i.id AS itemId, f.timestamp AS timestamp, f.rating AS rating, f.recommendationId AS recommendationId`;

const CREATE_FEEDBACK = `
UNWIND $rows AS r
MATCH (u:User {dataset: $dataset, id: r.userId}) USING INDEX SEEK u:User(dataset, id)
MATCH (i:Item {dataset: $dataset, id: r.itemId}) USING INDEX SEEK i:Item(dataset, id)
MERGE (f:Feedback {dataset: $dataset, id: r.id})
ON CREATE SET f.timestamp = r.timestamp, f.rating = r.rating, f.recommendationId = r.recommendationId,
              f.recordedAt = datetime(), f.userIdx = u.idx, f.itemIdx = i.idx
MERGE (u)-[:GAVE]->(f)
MERGE (f)-[:ABOUT]->(i)`;

/** Writes a batch of feedback atomically and idempotently; refuses unknown users or items and conflicting ids. */
export async function recordFeedback(client: GraphClient, dataset: string, input: readonly FeedbackInput[]): Promise<FeedbackWriteResult> {
  await ensureSchema(client);
  await requireDataset(client, dataset);
  const rows = dedupe(input);
  return client.write(async (tx) => {
    const missing = (await tx.run(FIND_MISSING, { dataset, rows })).records.map((r) => r.toObject());
    if (missing.length > 0) {
      const m = missing[0];
      const what = m.noUser ? `user ${JSON.stringify(m.userId)}` : `item ${JSON.stringify(m.itemId)}`;
      throw new GraphError('NOT_FOUND', `interaction ${JSON.stringify(m.id)}: ${what} is not in dataset '${dataset}' (users and items must be ingested before feedback about them)`);
    }
    const existing = (await tx.run(FIND_EXISTING, { dataset, rows })).records.map((r) => r.toObject() as Record<string, unknown>);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const stored of existing) {
      const sent = byId.get(stored.id as string) as Required<FeedbackInput>;
      const same = stored.userId === sent.userId && stored.itemId === sent.itemId && stored.timestamp === sent.timestamp
        && (stored.rating ?? null) === sent.rating && (stored.recommendationId ?? null) === sent.recommendationId;
      if (!same) {
        throw new GraphError('CONFLICT', `interaction ${JSON.stringify(sent.id)} is already recorded with other content (user ${JSON.stringify(stored.userId)}, item ${JSON.stringify(stored.itemId)}, timestamp ${String(stored.timestamp)}): an id names one interaction; send a new id for a new one`);
      }
    }
    const fresh = rows.filter((r) => !existing.some((e) => e.id === r.id));
    if (fresh.length > 0) await tx.run(CREATE_FEEDBACK, { dataset, rows: fresh });
    return { recorded: fresh.length, unchanged: rows.length - fresh.length };
  });
}

/** All feedback of a dataset as dense-index edges, oldest first (drift compares it with the training data). */
export async function readFeedbackEdges(client: GraphClient, dataset: string): Promise<FeedbackEdges> {
  const rows = await client.read(async (tx) =>
    (await tx.run('MATCH (f:Feedback {dataset: $dataset}) RETURN f.userIdx AS u, f.itemIdx AS i, f.timestamp AS t ORDER BY t, f.id', { dataset })).records,
  );
  const out = { users: new Int32Array(rows.length), items: new Int32Array(rows.length), timestamps: new Float64Array(rows.length) };
  rows.forEach((r, k) => {
    out.users[k] = r.get('u') as number;
    out.items[k] = r.get('i') as number;
    out.timestamps[k] = r.get('t') as number;
  });
  return out;
}

/** One row per id with nulls for absent options; the same id twice must carry the same content. */
function dedupe(input: readonly FeedbackInput[]): Required<FeedbackInput>[] {
  const out = new Map<string, Required<FeedbackInput>>();
  for (const r of input) {
    const row = { ...r, rating: r.rating ?? null, recommendationId: r.recommendationId ?? null };
    const seen = out.get(r.id);
    if (seen && JSON.stringify(seen) !== JSON.stringify(row)) {
      throw new GraphError('BAD_USER_INPUT', `interaction id ${JSON.stringify(r.id)} appears twice in one batch with different content`);
    }
    out.set(r.id, row);
  }
  return [...out.values()];
}
