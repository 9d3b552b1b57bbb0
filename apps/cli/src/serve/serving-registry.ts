// Which `eior serve` processes are running on this machine: each writes <state dir>/serving/<pid>.json while it
// serves and removes it when it stops. `eior datasets delete` reads it to refuse deleting data an API serves; a
// file left by a killed process is ignored (its pid is gone).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '@eior/graph';

export interface ServingEntry {
  pid: number;
  url: string;
  startedAt: string;
}

const folder = (stateDir: string): string => path.join(stateDir, 'serving');

/** Records this process as serving; returns the function that removes the record. */
export function registerServing(stateDir: string, url: string): () => void {
  mkdirSync(folder(stateDir), { recursive: true });
  const file = path.join(folder(stateDir), `${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url, startedAt: new Date().toISOString() } satisfies ServingEntry));
  return () => rmSync(file, { force: true });
}

/** The serve processes that are still alive. */
export function runningServers(stateDir: string): ServingEntry[] {
  let names: string[];
  try {
    names = readdirSync(folder(stateDir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: ServingEntry[] = [];
  for (const name of names) {
    try {
      const entry = JSON.parse(readFileSync(path.join(folder(stateDir), name), 'utf8')) as ServingEntry;
      if (processAlive(entry.pid) && entry.pid !== process.pid) out.push(entry);
    } catch {
      // a file being written or removed: not a server we can name
    }
  }
  return out;
}
