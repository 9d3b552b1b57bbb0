// Who is writing a dataset. A run that creates the Dataset node owns it; a later run that finds the dataset
// unfinished may resume it only when the owner is gone: a run on this host whose process has exited (kill -9)
// or that ended in this process without finishing, or a run elsewhere whose heartbeat is older than
// LEASE_SECONDS. Without this, a second run started while the first was still writing took the resume path and
// MERGEd the same relationships the first was CREATEing, which duplicated some of them.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { processAlive } from '../process-alive';

/** A run elsewhere that has not written for this long is taken for dead. */
export const LEASE_SECONDS = 120;
const HEARTBEAT_EVERY_MS = 5_000;

export interface IngestOwner {
  id: string;
  host: string;
  pid: number;
}

/** The ingest runs of this process that are still writing. */
const ACTIVE = new Set<string>();

export function startOwnership(): IngestOwner {
  const owner = { id: randomUUID(), host: hostname(), pid: process.pid };
  ACTIVE.add(owner.id);
  return owner;
}

export function endOwnership(owner: IngestOwner): void {
  ACTIVE.delete(owner.id);
}

export interface OwnerRecord {
  ownerId: string | null;
  ownerHost: string | null;
  ownerPid: number | null;
  /** Seconds since the owner's last heartbeat. */
  silentSeconds: number | null;
}

/** Whether the run that owns an unfinished dataset may still be writing it. */
export function ownerMayBeWriting(record: OwnerRecord): boolean {
  if (!record.ownerId) return false; // written before owners were recorded: resumable as before
  if (record.ownerHost === hostname() && record.ownerPid !== null) {
    if (record.ownerPid === process.pid) return ACTIVE.has(record.ownerId);
    return processAlive(record.ownerPid);
  }
  return record.silentSeconds === null || record.silentSeconds < LEASE_SECONDS;
}

/**
 * Takes over an unfinished dataset from the owner seen when it was read: compare-and-set under the node's write
 * lock (the first SET takes it), so of two runs that both saw the same dead owner only one gets the dataset.
 */
export async function claimDataset(client: GraphClient, name: string, seenOwner: string | null, owner: IngestOwner): Promise<void> {
  const claimed = await client.write(async (tx) => {
    const res = await tx.run(
      `MATCH (d:Dataset {name: $name})
       SET d.claims = coalesce(d.claims, 0) + 1
       WITH d WHERE d.status <> 'complete' AND coalesce(d.ownerId, '') = $seen
       SET d.ownerId = $id, d.ownerHost = $host, d.ownerPid = $pid, d.heartbeatAt = datetime()
       RETURN d.ownerId AS owner`,
      { name, seen: seenOwner ?? '', ...owner },
    );
    return res.records.length === 1;
  });
  if (!claimed) throw new GraphError('CONFLICT', `dataset '${name}' is being ingested by another run: wait for it, then run again`);
}

/** Records that the owner is alive, at most every few seconds. */
export function heartbeat(client: GraphClient, name: string, owner: IngestOwner): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < HEARTBEAT_EVERY_MS) return;
    last = Date.now();
    await client.write((tx) => tx.run('MATCH (d:Dataset {name: $name}) WHERE d.ownerId = $id SET d.heartbeatAt = datetime()', { name, id: owner.id }));
  };
}
