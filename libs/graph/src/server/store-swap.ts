// The bulk import's way back: before the offline importer writes a new store for the `neo4j` database, the empty
// one is moved aside (data/databases/neo4j and data/transactions/neo4j to `neo4j.pre-bulk`) under a marker file in
// the home folder. Until the import is committed (the marker says `done`), any start of the server, and any ingest,
// first puts the old store back: a kill -9 at any point of a bulk import leaves the database as it was before.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors';
import { isProcessAlive } from './pid-file';

const DATABASE = 'neo4j';
const ASIDE = `${DATABASE}.pre-bulk`;
const MARKER = 'bulk-import.json';
/** Where the bulk import writes the importer's CSV files, below the home folder. */
export const BULK_FILES = 'bulk-import-files';

export type SwapPhase = 'importing' | 'done';

export interface SwapMarker {
  phase: SwapPhase;
  dataset: string;
  /** The process running the bulk import. */
  pid: number;
  /** The importer's JVM, once started: a recovery stops it before it touches the folders it writes. */
  importerPid?: number;
  at: string;
}

/** The two folders of the `neo4j` database in a home folder of the embedded server. */
function storeDirs(home: string): string[] {
  return ['databases', 'transactions'].map((d) => path.join(home, 'data', d));
}

export async function readSwapMarker(home: string): Promise<SwapMarker | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(home, MARKER), 'utf8')) as SwapMarker;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A marker torn by a crash while it was written: the import never began its move, or the move is undone below.
    return { phase: 'importing', dataset: '', pid: 0, at: '' };
  }
}

async function writeSwapMarker(home: string, marker: SwapMarker): Promise<void> {
  const file = path.join(home, MARKER);
  await fs.writeFile(`${file}.tmp`, JSON.stringify(marker));
  await fs.rename(`${file}.tmp`, file); // atomic: a reader sees the old marker or the new one
}

/** True when a bulk import of another process was left unfinished here: its process is gone, the marker is not. */
export async function interruptedImport(home: string): Promise<boolean> {
  const marker = await readSwapMarker(home);
  return marker !== null && marker.pid !== process.pid && !(marker.pid > 0 && (await isProcessAlive(marker.pid)));
}

/** Records the importer's JVM in the marker, so that a recovery after a kill of this process stops it first. */
export async function recordImporter(home: string, importerPid: number): Promise<void> {
  const marker = await readSwapMarker(home);
  if (marker) await writeSwapMarker(home, { ...marker, importerPid });
}

/** With the server stopped: records the import, then moves the database's store aside. */
export async function moveStoreAside(home: string, dataset: string): Promise<void> {
  await writeSwapMarker(home, { phase: 'importing', dataset, pid: process.pid, at: new Date().toISOString() });
  for (const dir of storeDirs(home)) {
    const current = path.join(dir, DATABASE);
    if (existsSync(current) && !existsSync(path.join(dir, ASIDE))) await fs.rename(current, path.join(dir, ASIDE));
  }
}

/**
 * Marks the import committed, then lets the old store go. After `done` a recovery finishes this clean-up instead of
 * putting the old store back.
 */
export async function commitImport(home: string, marker: Omit<SwapMarker, 'phase'>): Promise<void> {
  await writeSwapMarker(home, { ...marker, phase: 'done' });
  await finishCommit(home);
}

async function finishCommit(home: string): Promise<void> {
  for (const dir of storeDirs(home)) await fs.rm(path.join(dir, ASIDE), { recursive: true, force: true });
  await fs.rm(path.join(home, MARKER), { force: true });
}

/**
 * With the server stopped: undoes an import that was not committed (each folder independently, so a recovery
 * killed half-way is finished by the next), or finishes the clean-up of one that was. Returns what it did, or null
 * when there was nothing to do: no marker, or the import is this process's own, still running (unless `ownImport`:
 * the import failed and this process undoes it). Refuses while
 * another live process runs an import on this store.
 */
export async function recoverStoreSwap(home: string, ownImport = false): Promise<'rolled back' | 'committed' | null> {
  const marker = await readSwapMarker(home);
  if (!marker || (marker.pid === process.pid && !ownImport)) return null;
  if (marker.pid > 0 && marker.pid !== process.pid && await isProcessAlive(marker.pid)) {
    throw new GraphError('CONFLICT', `a bulk import (pid ${marker.pid}, dataset '${marker.dataset}') is running on the Neo4j store in ${home}: wait for it to finish`);
  }
  // The process that ran the import was killed; its importer JVM (not killed with it) must not write on.
  if (marker.importerPid && await isProcessAlive(marker.importerPid)) {
    process.kill(marker.importerPid, 'SIGKILL');
    for (let k = 0; k < 100 && await isProcessAlive(marker.importerPid); k++) await new Promise((r) => setTimeout(r, 100));
  }
  await fs.rm(path.join(home, BULK_FILES), { recursive: true, force: true });
  if (marker.phase === 'done') {
    await finishCommit(home);
    return 'committed';
  }
  for (const dir of storeDirs(home)) {
    const aside = path.join(dir, ASIDE);
    if (!existsSync(aside)) continue;
    await fs.rm(path.join(dir, DATABASE), { recursive: true, force: true });
    await fs.rename(aside, path.join(dir, DATABASE));
  }
  await fs.rm(path.join(home, MARKER), { force: true });
  return 'rolled back';
}
