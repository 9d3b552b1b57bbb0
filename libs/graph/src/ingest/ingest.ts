// `ingest`: validate a whole MMRec folder, then write it under a dataset name. A dataset node records the
// files' fingerprint and whether the write finished, so a re-run of the same files is a no-op, a run after
// a crash finishes the job, and different files under a taken name are refused unless replaced.
import { GraphError } from '../errors';
import type { GraphClient } from '../db/client';
import { ensureSchema } from '../db/schema';
import { prepareDataset, type PreparedDataset, type PrepareProgress } from './prepare';
import { prepareEvents, type EventsInput } from './prepare-events';
import type { RepeatPolicy, SplitConflicts } from './collapse-events';
import type { SplitOutcome } from './auto-split';
import { writeDataset, type WriteProgress } from './write-dataset';
import { dropDataset } from './drop-dataset';
import { bulkIngest, chooseWritePath, type BulkTarget, type WritePath } from './bulk-ingest';
import { claimDataset, endOwnership, heartbeat, ownerMayBeWriting, startOwnership, type IngestOwner, type OwnerRecord } from './ingest-lease';

export interface IngestOptions {
  dataset: string;
  /** An MMRec folder; or else `events`. */
  dir?: string;
  /** An events file (CSV, TSV, Parquet) with item features keyed by id; or else `dir`. */
  events?: EventsInput;
  /** Replace a dataset of the same name that was ingested from other files. */
  replace?: boolean;
  /** How repeated (user, item) events become one training pair (default 'first'). */
  repeats?: RepeatPolicy;
  batchSize?: number;
  /** The project's own server, for the bulk import of a first ingest into an empty database (bulk-ingest.ts). */
  bulk?: BulkTarget;
  onPrepare?: PrepareProgress;
  onWrite?: WriteProgress;
}

export type IngestOutcome = 'ingested' | 'resumed' | 'unchanged' | 'replaced';

export interface IngestResult {
  dataset: string;
  outcome: IngestOutcome;
  fingerprint: string;
  users: number;
  items: number;
  interactions: { train: number; valid: number; test: number; total: number };
  /** Events read; events - repeats = interactions.total (one training pair per user and item). */
  events: number;
  repeats: number;
  /** Lines left out because they repeat an earlier line's event id with the same event (`--event-id-col`). */
  repeatedIds: number;
  repeatPolicy: RepeatPolicy;
  split: SplitOutcome;
  splitConflicts: SplitConflicts;
  modalities: { name: string; width: number; dtype: string; absent: number }[];
  seconds: { read: number; write: number; total: number };
  /** Interactions written per second of the write stage (0 when nothing was written). */
  interactionsPerSecond: number;
  /** How the pairs were written (bulk import or transactions) and why; absent when nothing was written. */
  writePath?: WritePath;
}

export const DEFAULT_INGEST_BATCH = 10_000;

export async function ingestDataset(client: GraphClient, options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_INGEST_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new GraphError('BAD_USER_INPUT', `batch size ${batchSize} is not valid: expected an integer from 1 to 100000`);
  }
  if ((options.dir === undefined) === (options.events === undefined)) {
    throw new GraphError('BAD_USER_INPUT', 'expected either an MMRec folder (--dir) or an events file (--events), not both or neither');
  }
  const prepareOptions = { policy: options.repeats, onProgress: options.onPrepare };
  const data = options.dir !== undefined
    ? await prepareDataset(options.dataset, options.dir, prepareOptions)
    : await prepareEvents(options.dataset, options.events!, prepareOptions);
  const source = options.dir ?? options.events!.file;
  const readDone = performance.now();

  await ensureSchema(client);
  const existing = await client.read(async (tx) => {
    const res = await tx.run(
      `MATCH (d:Dataset {name: $name})
       RETURN d.fingerprint AS fingerprint, d.status AS status, d.ownerId AS ownerId, d.ownerHost AS ownerHost,
              d.ownerPid AS ownerPid, duration.inSeconds(d.heartbeatAt, datetime()).seconds AS silentSeconds`,
      { name: data.name },
    );
    return res.records[0]?.toObject() as ({ fingerprint: string; status: string } & OwnerRecord) | undefined;
  });

  let outcome: IngestOutcome = 'ingested';
  let writePath: WritePath | undefined;
  if (existing && existing.fingerprint !== data.fingerprint) {
    if (!options.replace) {
      throw new GraphError(
        'CONFLICT',
        `dataset '${data.name}' already holds data from other files (fingerprint ${existing.fingerprint.slice(0, 12)}, ` +
          `these files are ${data.fingerprint.slice(0, 12)}): pick another --dataset name or pass --replace`,
      );
    }
    await dropDataset(client, data.name);
    outcome = 'replaced';
  } else if (existing?.status === 'complete') {
    outcome = 'unchanged';
  } else if (existing) {
    outcome = 'resumed';
  }

  if (outcome !== 'unchanged') {
    const owner = startOwnership();
    try {
      const beat = heartbeat(client, data.name, owner);
      const onProgress: WriteProgress = (stage, done, total) => {
        options.onWrite?.(stage, done, total);
        void beat().catch(() => undefined); // a missed heartbeat only shortens the lease seen from other hosts
      };
      if (outcome === 'resumed') {
        if (existing && ownerMayBeWriting(existing)) {
          throw new GraphError('CONFLICT', `dataset '${data.name}' is being ingested by another run: wait for it, then run again`);
        }
        await claimDataset(client, data.name, existing?.ownerId ?? null, owner);
        await writeDataset(client, data, { batchSize, fresh: false, onProgress });
      } else {
        writePath = outcome === 'ingested' ? await chooseWritePath(client, data, options.bulk) : undefined;
        if (writePath?.bulk) {
          const imported = await bulkIngest(client, data, source, options.bulk!);
          return result(data, outcome, started, readDone, { ...writePath, importerPeakRssMb: imported.peakRssMb });
        }
        await createDatasetNode(client, data.name, data.fingerprint, source, owner);
        await writeDataset(client, data, { batchSize, fresh: true, onProgress });
      }
      await client.write(async (tx) => {
        await tx.run(
          `MATCH (d:Dataset {name: $name})
           SET d.status = 'complete', d.users = toInteger($users), d.items = toInteger($items),
               d.train = toInteger($train), d.valid = toInteger($valid), d.test = toInteger($test),
               d.events = toInteger($events), d.repeats = toInteger($repeats), d.repeatPolicy = $policy,
               d.splitMade = $splitMade, d.splitSeed = $splitSeed, d.eventSource = $eventSource,
               d.ingestedAt = coalesce(d.ingestedAt, datetime())
           REMOVE d.ownerId, d.ownerHost, d.ownerPid, d.heartbeatAt, d.claims`,
          { name: data.name, users: data.userIds.length, items: data.itemIds.length, ...data.splitCounts, ...eventFigures(data) },
        );
      });
    } finally {
      endOwnership(owner);
    }
  }
  return result(data, outcome, started, readDone, writePath);
}

function result(data: PreparedDataset, outcome: IngestOutcome, started: number, readDone: number, writePath: WritePath | undefined): IngestResult {
  const finished = performance.now();
  const writeSeconds = (finished - readDone) / 1000;
  return {
    dataset: data.name,
    outcome,
    fingerprint: data.fingerprint,
    users: data.userIds.length,
    items: data.itemIds.length,
    interactions: { ...data.splitCounts, total: data.rows.count },
    events: data.events.count,
    repeats: data.repeats,
    repeatedIds: data.events.keyDuplicates ?? 0,
    repeatPolicy: data.policy,
    split: data.split,
    splitConflicts: data.conflicts,
    modalities: data.modalities.map((m) => ({ name: m.modality, width: m.width, dtype: m.dtype, absent: absentCount(m.present) })),
    seconds: { read: (readDone - started) / 1000, write: writeSeconds, total: (finished - started) / 1000 },
    interactionsPerSecond: outcome === 'unchanged' ? 0 : data.rows.count / writeSeconds,
    ...(writePath ? { writePath } : {}),
  };
}

function eventFigures(data: PreparedDataset): Record<string, unknown> {
  return { events: data.events.count, repeats: data.repeats, policy: data.policy, splitMade: data.split.made, splitSeed: data.split.seed ?? null, eventSource: data.source };
}

function absentCount(present: Uint8Array | undefined): number {
  let n = 0;
  if (present) for (const p of present) n += p ? 0 : 1;
  return n;
}

/**
 * CREATE, not MERGE: the uniqueness constraint makes this run the only one writing the dataset from scratch.
 * A second ingest of the same name started at the same moment fails here instead of duplicating relationships.
 */
async function createDatasetNode(client: GraphClient, name: string, fingerprint: string, source: string, owner: IngestOwner): Promise<void> {
  try {
    await client.write(async (tx) => {
      await tx.run(
        `CREATE (d:Dataset {name: $name, fingerprint: $fingerprint, status: 'ingesting', source: $source, createdAt: datetime(),
                            ownerId: $id, ownerHost: $host, ownerPid: $pid, heartbeatAt: datetime()})`,
        { name, fingerprint, source, ...owner },
      );
    });
  } catch (err) {
    if (err instanceof GraphError && err.code === 'CONFLICT') {
      throw new GraphError('CONFLICT', `dataset '${name}' is being ingested by another run: wait for it, then run again`, { cause: err });
    }
    throw err;
  }
}
