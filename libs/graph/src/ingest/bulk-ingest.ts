// The first ingest into an EMPTY database of the project's own Neo4j through Neo4j's offline importer instead of
// Cypher transactions: the prepared dataset is written as the importer's CSV, the server stopped, the empty store
// moved aside, the importer run, the server started again, and the schema and the Dataset node written as a normal
// ingest leaves them. It never runs when the database holds anything or when the server is someone else's; a kill
// at any point leaves the old (empty) store to be put back by the next start (store-swap.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { ensureSchema } from '../db/schema';
import { runAdminImport, type AdminImportResult } from '../server/admin-import';
import { startLocalNeo4j, stopLocalNeo4j } from '../server/local-server';
import type { StartLocalNeo4jOptions } from '../server/server-options';
import { BULK_FILES, commitImport, moveStoreAside, recordImporter, recoverStoreSwap } from '../server/store-swap';
import { ARRAY_DELIMITER, bulkFilesBlocker, writeBulkFiles } from './bulk-files';
import type { PreparedDataset } from './prepare';

export const BULK_MODES = ['auto', 'on', 'off'] as const;
export type BulkMode = (typeof BULK_MODES)[number];

/** Below this many pairs `auto` keeps the transactional write: a bulk import stops and starts Neo4j (about 10 to 20 s). */
export const BULK_MIN_PAIRS = 500_000;

export interface BulkTarget {
  /** auto: when allowed and the data has at least BULK_MIN_PAIRS pairs; on: whenever allowed; off: never. */
  mode: BulkMode;
  /** The project's own server, as it is started; undefined when NEO4J_URI names another server (never bulk then). */
  server?: Omit<StartLocalNeo4jOptions, 'onProgress'>;
  /** A reason found by the caller why the server may not be stopped (an API serving it), or null. */
  blocker: string | null;
  /** A client on the restarted server. */
  connect(uri: string): Promise<GraphClient>;
  /** One line per step (stop, import, start, schema). */
  onStep?: (message: string) => void;
}

export interface WritePath {
  bulk: boolean;
  /** Why this path was taken: printed by `ingest`. */
  reason: string;
  /** Peak resident memory of the importer's JVM (a child process of the ingest), MB; bulk import only. */
  importerPeakRssMb?: number | null;
}

/** Whether the first ingest of `data` may take the bulk path; the database must hold no node at all. */
export async function chooseWritePath(client: GraphClient, data: PreparedDataset, target: BulkTarget | undefined): Promise<WritePath> {
  const normal = (reason: string): WritePath => ({ bulk: false, reason });
  if (!target || target.mode === 'off') return normal('transactions (bulk import turned off with --bulk off)');
  if (!target.server) return normal("transactions (NEO4J_URI names a server of your own; the bulk import works on the project's own Neo4j only)");
  if (target.blocker) return normal(`transactions (${target.blocker})`);
  if (target.mode === 'auto' && data.rows.count < BULK_MIN_PAIRS) {
    return normal(`transactions (${data.rows.count} pairs; --bulk auto imports offline from ${BULK_MIN_PAIRS} pairs, --bulk on at any size)`);
  }
  const blocker = bulkFilesBlocker(data);
  if (blocker) return normal(`transactions (${blocker})`);
  const nodes = await countNodes(client);
  if (nodes > 0) return normal(`transactions (the database holds ${nodes} nodes: other datasets, model runs or feedback; the bulk import needs an empty one)`);
  return { bulk: true, reason: "bulk import (the project's own Neo4j holds nothing: offline import, then a restart; --bulk off to write with transactions)" };
}

async function countNodes(client: GraphClient): Promise<number> {
  return client.read(async (tx) => (await tx.run('MATCH (n) RETURN count(n) AS n')).records[0].get('n') as number);
}

/**
 * Imports `data` as dataset `data.name` (chooseWritePath said yes). `client` is on the running server, which this
 * stops: it is not usable afterwards. A failure puts the old store back and starts the server again.
 */
export async function bulkIngest(client: GraphClient, data: PreparedDataset, source: string, target: BulkTarget): Promise<AdminImportResult> {
  const server = target.server!;
  const step = target.onStep ?? (() => undefined);
  const files = path.join(server.home, BULK_FILES);
  await fs.rm(files, { recursive: true, force: true });
  await fs.mkdir(files, { recursive: true });
  try {
    step('writing the importer\'s CSV files');
    const written = await writeBulkFiles(data, files);
    // Last look before the stop: a write that lands after it would be moved aside with the old store.
    const nodes = await countNodes(client);
    if (nodes > 0) throw new GraphError('CONFLICT', `the database got ${nodes} nodes while the bulk import's files were written: run the ingest again (it will write with transactions)`);
    step('stopping Neo4j');
    await stopLocalNeo4j({ home: server.home });
    await moveStoreAside(server.home, data.name);
    try {
      step('importing');
      const imported = await runAdminImport({
        home: server.home, ...written, arrayDelimiter: ARRAY_DELIMITER, onLine: (l) => step(`  ${l.trim()}`), onSpawn: (pid) => recordImporter(server.home, pid),
      });
      step('starting Neo4j');
      const started = await startLocalNeo4j(server);
      const fresh = await target.connect(started.uri);
      try {
        step('creating constraints and indexes');
        await ensureSchema(fresh);
        await createCompleteDataset(fresh, data, source);
      } finally {
        await fresh.close();
      }
      await commitImport(server.home, { dataset: data.name, pid: process.pid, at: new Date().toISOString() });
      return imported;
    } catch (err) {
      step('the import failed: putting the old store back');
      await stopLocalNeo4j({ home: server.home });
      await recoverStoreSwap(server.home, true);
      await startLocalNeo4j(server);
      throw err;
    }
  } finally {
    await fs.rm(files, { recursive: true, force: true });
  }
}

/** The Dataset node as ingestDataset leaves it after a complete write (owner fields removed). */
async function createCompleteDataset(client: GraphClient, data: PreparedDataset, source: string): Promise<void> {
  await client.write(async (tx) => {
    await tx.run(
      `CREATE (d:Dataset {name: $name, fingerprint: $fingerprint, status: 'complete', source: $source, createdAt: datetime(),
                          users: toInteger($users), items: toInteger($items), train: toInteger($train), valid: toInteger($valid),
                          test: toInteger($test), events: toInteger($events), repeats: toInteger($repeats), repeatPolicy: $policy,
                          splitMade: $splitMade, splitSeed: $splitSeed, eventSource: $eventSource, ingestedAt: datetime()})`,
      {
        name: data.name, fingerprint: data.fingerprint, source, users: data.userIds.length, items: data.itemIds.length, ...data.splitCounts,
        events: data.events.count, repeats: data.repeats, policy: data.policy, splitMade: data.split.made, splitSeed: data.split.seed ?? null,
        eventSource: data.source,
      },
    );
  });
}
