// `ingest --append`: new events, users and items join an ingested dataset. Exactly once: an event already in its
// pair (same time, rating and weight: the content key) is skipped, new users and items get indexes in one fixed
// order, and every batch reads its pairs and writes them in one transaction, so a run killed at any point and
// started again with the same file ends with the graph an uninterrupted run gives. The dataset node records the
// appended files; its fingerprint changes with each one, so model versions trained before it are told apart.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { checkModalities, newIds, planAppend, type AppendPlan } from './append-plan';
import { appendPairs, type AppendCounts } from './append-pairs';
import type { RepeatPolicy } from './collapse-events';
import { readFileNodes, recordWritten } from './file-nodes';
import { endOwnership, heartbeat, ownerMayBeWriting, startOwnership, type IngestOwner, type OwnerRecord } from './ingest-lease';
import type { EventsInput } from './prepare-events';
import type { PrepareProgress } from './prepare';
import { MERGE_FEATURES, MERGE_ITEMS, MERGE_USERS, writeBatches, type WriteProgress } from './write-dataset';

/**
 * Pair batches an append writes at once, each a transaction of its own on a Neo4j thread: while one commits, the
 * next ones read and create their pairs. 4 measured best for 1,000,000 events on 2 shared cores (docs/benchmarks/ingest.md);
 * 8 was no faster and made Neo4j retry deadlocked transactions.
 */
export const DEFAULT_APPEND_WRITERS = 4;
/**
 * Events per pair batch of an append: with 4 writers, 5,000 measured faster than 2,500 and 10,000 (Neo4j's garbage
 * collection grows with the transactions' state in flight).
 */
export const DEFAULT_APPEND_BATCH = 5_000;

export interface AppendOptions {
  dataset: string;
  events: EventsInput;
  /** Events per pair batch (default DEFAULT_APPEND_BATCH). */
  batchSize?: number;
  /** Batches of pairs written at once (default DEFAULT_APPEND_WRITERS). */
  writers?: number;
  onPrepare?: PrepareProgress;
  onWrite?: WriteProgress;
}

export interface AppendResult extends AppendCounts {
  dataset: string;
  outcome: 'appended' | 'resumed' | 'unchanged';
  fingerprint: string;
  previousFingerprint: string;
  newUsers: number;
  newItems: number;
  seconds: { read: number; write: number; total: number };
  /** Events of the file per second of the write stage. */
  eventsPerSecond: number;
}

interface DatasetNode extends OwnerRecord {
  status: string;
  fingerprint: string;
  appended: string[] | null;
  appendFingerprint: string | null;
  repeatPolicy: string | null;
  eventSource: string | null;
  source: string;
}

export async function appendEvents(client: GraphClient, options: AppendOptions): Promise<AppendResult> {
  const started = performance.now();
  const { dataset } = options;
  const batchSize = options.batchSize ?? DEFAULT_APPEND_BATCH;
  const node = await readDatasetNode(client, dataset);
  const policy = (node.repeatPolicy ?? 'first') as RepeatPolicy;
  if (policy === 'refuse') throw new GraphError('BAD_USER_INPUT', `dataset '${dataset}' was ingested with --repeats refuse: an append needs first or last`);
  const plan = await planAppend(options.events, options.onPrepare);
  const readDone = performance.now();
  // an event id twice in the file with the same event is read once: a duplicate like one already in the graph
  const repeatedIds = plan.events.keyDuplicates ?? 0;
  const counts: AppendCounts = { events: plan.events.count + repeatedIds, added: 0, duplicates: repeatedIds, newPairs: 0, conflicts: 0 };
  const result = (outcome: AppendResult['outcome'], fingerprint: string, extra: Partial<AppendResult> = {}): AppendResult => {
    const finished = performance.now();
    const write = (finished - readDone) / 1000;
    return {
      dataset, outcome, fingerprint, previousFingerprint: node.fingerprint, newUsers: 0, newItems: 0, ...counts, ...extra,
      seconds: { read: (readDone - started) / 1000, write, total: (finished - started) / 1000 },
      eventsPerSecond: outcome === 'unchanged' ? 0 : counts.events / write,
    };
  };
  if (node.status === 'complete' && (node.appended ?? []).includes(plan.fingerprint)) return result('unchanged', node.fingerprint);
  if (node.status === 'appending' && node.appendFingerprint !== plan.fingerprint) {
    throw new GraphError('CONFLICT', `dataset '${dataset}' has an unfinished append of other files (${(node.appendFingerprint ?? '').slice(0, 12)}): run that append again to finish it first`);
  }
  if (node.status !== 'complete' && node.status !== 'appending') {
    throw new GraphError('CONFLICT', `dataset '${dataset}' is only partly ingested: run \`eior ingest\` again to finish it before appending`);
  }
  const resumed = node.status === 'appending';
  if (resumed && ownerMayBeWriting(node)) throw new GraphError('CONFLICT', `dataset '${dataset}' is being appended to by another run: wait for it, then run again`);
  const modalityNames = await checkModalities(client, dataset, plan.modalities);

  const owner = startOwnership();
  try {
    await claimAppend(client, dataset, node, plan.fingerprint, owner);
    const beat = heartbeat(client, dataset, owner);
    const onWrite: WriteProgress = (stage, done, total) => {
      options.onWrite?.(stage, done, total);
      void beat().catch(() => undefined);
    };
    const run = (cypher: string, params: Record<string, unknown>) => client.write(async (tx) => void (await tx.run(cypher, { dataset, ...params })));

    // the file's users and items looked up at once (reads only: new ones still get their indexes users first)
    const [users, items] = await Promise.all([
      readFileNodes(client, 'User', dataset, plan.events.userTokens),
      readFileNodes(client, 'Item', dataset, plan.events.itemTokens),
    ]);
    const freshUsers = newIds(plan.events.userTokens, users.idx, users.count);
    await writeBatches(freshUsers.length, batchSize, async (from, to) => {
      const batch = freshUsers.slice(from, to);
      recordWritten(users, batch, await writeNodes(client, MERGE_USERS, 'u', dataset, batch.map((u) => [u.id, u.idx])));
    }, (d, t) => onWrite('users', d, t));

    const freshItems = newIds(plan.events.itemTokens, items.idx, items.count);
    const absent = (token: number): string[] | null => {
      const names = modalityNames.filter((name) => {
        const m = plan.modalities.find((x) => x.modality === name);
        return !m || (m.present !== undefined && !m.present[token]);
      });
      return names.length > 0 ? names : null;
    };
    await writeBatches(freshItems.length, batchSize, async (from, to) => {
      const batch = freshItems.slice(from, to);
      recordWritten(items, batch, await writeNodes(client, MERGE_ITEMS, 'i', dataset, batch.map((i) => [i.id, i.idx, absent(i.token)])));
    }, (d, t) => onWrite('items', d, t));
    await writeNewFeatures(client, dataset, plan, items.idx, run, onWrite);

    const written = await appendPairs(client, dataset, plan, {
      users: users.idx, items: items.idx, userRefs: users.refs as string[], itemRefs: items.refs as string[], policy, batchSize, writers: options.writers ?? DEFAULT_APPEND_WRITERS,
      newFrom: { users: users.count, items: items.count }, fallbackSource: node.eventSource ?? path.basename(node.source), onProgress: (d, t) => onWrite('interactions', d, t),
    });
    Object.assign(counts, written, { duplicates: written.duplicates + repeatedIds });
    const fingerprint = await finishAppend(client, dataset, node.fingerprint, plan.fingerprint, users.count + freshUsers.length, items.count + freshItems.length);
    return result(resumed ? 'resumed' : 'appended', fingerprint, { newUsers: freshUsers.length, newItems: freshItems.length });
  } finally {
    endOwnership(owner);
  }
}

/**
 * MERGE_USERS (node variable u) or MERGE_ITEMS (i) for rows [id, idx, ...]: the element id of each row's node by id
 * (new, or on a resumed run already there).
 */
async function writeNodes(client: GraphClient, merge: string, node: 'u' | 'i', dataset: string, rows: unknown[][]): Promise<Map<string, string>> {
  return client.write(async (tx) => {
    const res = await tx.run(`${merge}\nRETURN ${node}.id AS id, elementId(${node}) AS ref`, { dataset, rows });
    return new Map(res.records.map((r) => [r.get('id') as string, r.get('ref') as string]));
  });
}

async function readDatasetNode(client: GraphClient, dataset: string): Promise<DatasetNode> {
  const node = await client.read(async (tx) =>
    (await tx.run(
      `MATCH (d:Dataset {name: $dataset})
       RETURN d.status AS status, d.fingerprint AS fingerprint, d.appended AS appended, d.appendFingerprint AS appendFingerprint,
              d.repeatPolicy AS repeatPolicy, d.eventSource AS eventSource, d.source AS source, d.ownerId AS ownerId, d.ownerHost AS ownerHost,
              d.ownerPid AS ownerPid, duration.inSeconds(d.heartbeatAt, datetime()).seconds AS silentSeconds`,
      { dataset },
    )).records[0]?.toObject() as DatasetNode | undefined,
  );
  if (!node) throw new GraphError('NOT_FOUND', `dataset '${dataset}' is not in the graph: ingest it first (an append adds to an ingested dataset)`);
  return node;
}

/** Compare-and-set: only the run that saw the dataset complete (or saw the dead owner) takes it. */
async function claimAppend(client: GraphClient, dataset: string, node: DatasetNode, fingerprint: string, owner: IngestOwner): Promise<void> {
  const claimed = await client.write(async (tx) =>
    (await tx.run(
      `MATCH (d:Dataset {name: $dataset})
       SET d.claims = coalesce(d.claims, 0) + 1
       WITH d WHERE d.status = $status AND coalesce(d.ownerId, '') = $seen
       SET d.status = 'appending', d.appendFingerprint = $fingerprint, d.ownerId = $id, d.ownerHost = $host, d.ownerPid = $pid, d.heartbeatAt = datetime()
       RETURN d`,
      { dataset, status: node.status, seen: node.ownerId ?? '', fingerprint, ...owner },
    )).records.length === 1,
  );
  if (!claimed) throw new GraphError('CONFLICT', `dataset '${dataset}' is being written by another run: wait for it, then run again`);
}

/** Feature rows of the file's items that have neither the feature nor an absent mark yet (new items only). */
async function writeNewFeatures(
  client: GraphClient,
  dataset: string,
  plan: AppendPlan,
  items: ReadonlyMap<string, number>,
  run: (cypher: string, params: Record<string, unknown>) => Promise<void>,
  onWrite: WriteProgress,
): Promise<void> {
  for (const m of plan.modalities) {
    const needing = await client.read(async (tx) =>
      (await tx.run(
        `UNWIND $ids AS id MATCH (i:Item {dataset: $dataset, id: id})
         WHERE NOT EXISTS { (i)-[:HAS_FEATURE {modality: $modality}]->() } AND NOT $modality IN coalesce(i.absent, [])
         RETURN i.id AS id`,
        { dataset, modality: m.modality, ids: plan.events.itemTokens },
      )).records.map((r) => r.get('id') as string),
    );
    const tokens = new Map(plan.events.itemTokens.map((id, k) => [id, k]));
    const rows = needing.map((id) => tokens.get(id)!).filter((t) => !m.present || m.present[t]);
    const perBatch = Math.max(1, Math.floor(250_000 / m.width));
    await writeBatches(rows.length, perBatch, (from, to) =>
      run(MERGE_FEATURES, { modality: m.modality, rows: rows.slice(from, to).map((t) => [items.get(plan.events.itemTokens[t]), Array.from(m.data.subarray(t * m.width, (t + 1) * m.width))]) }),
    (d, t) => onWrite('features', d, t));
  }
}

/**
 * Adds the counts the batches recorded (each with its own transaction, so a killed run's batches are counted once)
 * and records the append; the new fingerprint chains the old one. O(1): no scan of the dataset.
 */
async function finishAppend(client: GraphClient, dataset: string, previous: string, appended: string, users: number, items: number): Promise<string> {
  const fingerprint = createHash('sha256').update(`${previous}\0${appended}`).digest('hex');
  await client.write(async (tx) => {
    await tx.run(
      `MATCH (d:Dataset {name: $dataset})
       WITH d, d.train + coalesce(d.appendTrain, 0) AS train, d.valid + coalesce(d.appendValid, 0) AS valid, d.test + coalesce(d.appendTest, 0) AS test,
            coalesce(d.events, d.train + d.valid + d.test) + coalesce(d.appendEvents, 0) AS events
       SET d.users = toInteger($users), d.items = toInteger($items), d.train = train, d.valid = valid, d.test = test, d.events = events,
           d.repeats = events - train - valid - test,
           d.fingerprint = $fingerprint, d.fingerprints = coalesce(d.fingerprints, []) + $previous, d.appended = coalesce(d.appended, []) + $appended,
           d.status = 'complete', d.appendedAt = datetime()
       REMOVE d.appendFingerprint, d.appendTrain, d.appendValid, d.appendTest, d.appendEvents, d.ownerId, d.ownerHost, d.ownerPid, d.heartbeatAt, d.claims`,
      { dataset, fingerprint, previous, appended, users, items },
    );
  });
  return fingerprint;
}
