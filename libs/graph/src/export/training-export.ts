// Reads a dataset back out of Neo4j as plain typed arrays for training: edges per split as Int32Array pairs
// of dense indexes, one Float32Array feature matrix per modality, and the id maps. The shape matches
// @eior/model's RecDataset structurally; the two libs never import each other.
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { requireDataset } from './datasets';

export interface EdgeList {
  users: Int32Array;
  items: Int32Array;
}

export interface FeatureMatrix {
  modality: string;
  width: number;
  /** Row-major [numItems, width]; zeros in the rows of items without this modality. */
  data: Float32Array;
  /** 1 where the item has this modality, 0 where it was absent at ingest; undefined when every item has it. */
  present?: Uint8Array;
}

export interface TrainingExport {
  dataset: string;
  fingerprint: string;
  /** The data's place in its append history: events so far, appends so far, the fingerprints before them. */
  cutoff: DataCutoff;
  numUsers: number;
  numItems: number;
  train: EdgeList;
  valid: EdgeList;
  test: EdgeList;
  features: FeatureMatrix[];
  /** Token of each dense user index. */
  userIds: string[];
  /** Token of each dense item index. */
  itemIds: string[];
  /** Unix seconds per train edge when the data has timestamps (time-window environments use them). */
  trainTimestamps?: Float64Array;
  /** Feedback recorded through the API that joined the training split (appended after the ingested edges). */
  feedback?: { until: number; interactions: number };
}

export interface DataCutoff {
  /** Events in the dataset (ingested and appended). */
  events: number;
  /** Appends made since the first ingest. */
  appends: number;
  /** Fingerprints the dataset had before each append, oldest first. */
  earlierFingerprints: string[];
}

export interface ExportOptions {
  /**
   * Feedback recorded through the API up to this time (Unix ms, inclusive) joins the training split, except pairs
   * already in the data (a pair of the validation or test split would leak into training). Absent: no feedback.
   */
  feedbackUntil?: number;
}

/** Users per export query: about 20 interactions each in typical data, so pages of some 100k records. */
const EXPORT_USERS_PER_PAGE = 5_000;

export async function exportTrainingData(client: GraphClient, dataset: string, options: ExportOptions = {}): Promise<TrainingExport> {
  const meta = await requireDataset(client, dataset);
  const userIds = await readIds(client, 'User', dataset, meta.users);
  const itemIds = await readIds(client, 'Item', dataset, meta.items);

  const sizes = { train: meta.train, valid: meta.valid, test: meta.test };
  const edges = {
    train: { users: new Int32Array(sizes.train), items: new Int32Array(sizes.train) },
    valid: { users: new Int32Array(sizes.valid), items: new Int32Array(sizes.valid) },
    test: { users: new Int32Array(sizes.test), items: new Int32Array(sizes.test) },
  };
  const trainTimestamps = new Float64Array(sizes.train);
  let anyTimestamp = false;
  const filled = { train: 0, valid: 0, test: 0 };
  // Pages of users in index order, each page's edges ordered: the same graph always gives the same arrays,
  // and no page holds more than a bounded number of records.
  for (let from = 0; from < meta.users; from += EXPORT_USERS_PER_PAGE) {
    await client.read(async (tx) => {
      const res = await tx.run(
        `MATCH (u:User {dataset: $dataset}) USING INDEX SEEK u:User(dataset, idx) WHERE u.idx >= $from AND u.idx < $to
         MATCH (u)-[x:INTERACTED]->(i:Item)
         RETURN u.idx AS u, i.idx AS i, x.split AS split, x.timestamp AS ts ORDER BY u, i`,
        { dataset, from, to: from + EXPORT_USERS_PER_PAGE },
      );
      for (const r of res.records) {
        const split = r.get('split') as 'train' | 'valid' | 'test';
        const k = filled[split]++;
        edges[split].users[k] = r.get('u') as number;
        edges[split].items[k] = r.get('i') as number;
        if (split === 'train') {
          const ts = r.get('ts') as number | null;
          trainTimestamps[k] = ts ?? Number.NaN;
          anyTimestamp ||= ts !== null && ts !== 0;
        }
      }
    });
  }
  for (const split of ['train', 'valid', 'test'] as const) {
    if (filled[split] !== sizes[split]) {
      throw new GraphError('INTERNAL', `dataset '${dataset}': read ${filled[split]} ${split} interactions, the dataset node says ${sizes[split]}`);
    }
  }

  const features = await readFeatures(client, dataset, meta.items);
  let train: EdgeList = edges.train;
  let timestamps = trainTimestamps;
  let feedback: TrainingExport['feedback'];
  if (options.feedbackUntil !== undefined) {
    const extra = await readFeedbackForTraining(client, dataset, options.feedbackUntil, meta.items, edges);
    feedback = { until: options.feedbackUntil, interactions: extra.users.length };
    if (extra.users.length > 0) {
      train = { users: concatInt(edges.train.users, extra.users), items: concatInt(edges.train.items, extra.items) };
      // the ingested data decides whether there are timestamps (time-window environments); feedback follows it
      timestamps = Float64Array.from({ length: train.users.length }, (_, k) => (k < sizes.train ? trainTimestamps[k] : anyTimestamp ? extra.timestamps[k - sizes.train] : Number.NaN));
    }
  }
  return {
    dataset,
    fingerprint: meta.fingerprint,
    cutoff: {
      events: meta.events ?? meta.train + meta.valid + meta.test,
      appends: meta.appended?.length ?? 0,
      earlierFingerprints: meta.fingerprints ?? [],
    },
    numUsers: meta.users,
    numItems: meta.items,
    ...edges,
    train,
    features,
    userIds,
    itemIds,
    trainTimestamps: anyTimestamp ? timestamps : undefined,
    ...(feedback ? { feedback } : {}),
  };
}

/** Feedback pairs recorded up to `until` that are not already pairs of the data, oldest first, one per pair. */
async function readFeedbackForTraining(
  client: GraphClient,
  dataset: string,
  until: number,
  numItems: number,
  splits: Record<'train' | 'valid' | 'test', EdgeList>,
): Promise<EdgeList & { timestamps: Float64Array }> {
  const records = await client.read(async (tx) =>
    (await tx.run(
      `MATCH (f:Feedback {dataset: $dataset}) WHERE f.recordedAt <= datetime({epochMillis: toInteger($until)})
       RETURN f.userIdx AS u, f.itemIdx AS i, f.timestamp AS t ORDER BY f.recordedAt, f.id`,
      { dataset, until: Math.floor(until) },
    )).records,
  );
  const taken = new Set<number>();
  for (const split of Object.values(splits)) for (let k = 0; k < split.users.length; k++) taken.add(split.users[k] * numItems + split.items[k]);
  const users: number[] = [];
  const items: number[] = [];
  const timestamps: number[] = [];
  for (const r of records) {
    const key = (r.get('u') as number) * numItems + (r.get('i') as number);
    if (taken.has(key)) continue;
    taken.add(key);
    users.push(r.get('u') as number);
    items.push(r.get('i') as number);
    timestamps.push(r.get('t') as number);
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), timestamps: Float64Array.from(timestamps) };
}

function concatInt(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function readIds(client: GraphClient, label: 'User' | 'Item', dataset: string, count: number): Promise<string[]> {
  const ids = new Array<string>(count);
  await client.read(async (tx) => {
    const res = await tx.run(`MATCH (n:${label} {dataset: $dataset}) RETURN n.idx AS idx, n.id AS id`, { dataset });
    for (const r of res.records) ids[r.get('idx') as number] = r.get('id') as string;
  });
  return ids;
}

/** All feature vectors of a dataset in one query, as one matrix per modality. */
export async function readFeatures(client: GraphClient, dataset: string, numItems: number): Promise<FeatureMatrix[]> {
  return client.read(async (tx) => {
    const modalities = await tx.run(
      'MATCH (m:Modality {dataset: $dataset}) RETURN m.name AS name, m.width AS width ORDER BY name',
      { dataset },
    );
    const out = new Map<string, FeatureMatrix>();
    for (const r of modalities.records) {
      const width = r.get('width') as number;
      out.set(r.get('name'), { modality: r.get('name'), width, data: new Float32Array(numItems * width) });
    }
    const res = await tx.run(
      `MATCH (i:Item {dataset: $dataset})-[f:HAS_FEATURE]->(m:Modality)
       RETURN i.idx AS idx, m.name AS modality, f.values AS values`,
      { dataset },
    );
    for (const r of res.records) {
      const m = out.get(r.get('modality') as string)!;
      m.data.set(r.get('values') as number[], (r.get('idx') as number) * m.width);
    }
    const absent = await tx.run('MATCH (i:Item {dataset: $dataset}) WHERE i.absent IS NOT NULL RETURN i.idx AS idx, i.absent AS absent', { dataset });
    for (const r of absent.records) {
      for (const name of r.get('absent') as string[]) {
        const m = out.get(name);
        if (!m) continue;
        m.present ??= new Uint8Array(numItems).fill(1);
        m.present[r.get('idx') as number] = 0;
      }
    }
    return [...out.values()];
  });
}

/** One item's feature vectors, one query. */
export async function readItemFeatures(
  client: GraphClient,
  dataset: string,
  itemId: string,
): Promise<{ modality: string; values: Float32Array }[]> {
  return client.read(async (tx) => {
    const res = await tx.run(
      `MATCH (i:Item {dataset: $dataset, id: $itemId})-[f:HAS_FEATURE]->(m:Modality)
       RETURN m.name AS modality, f.values AS values ORDER BY modality`,
      { dataset, itemId },
    );
    return res.records.map((r) => ({ modality: r.get('modality') as string, values: Float32Array.from(r.get('values') as number[]) }));
  });
}
