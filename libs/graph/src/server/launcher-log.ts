// Reads what the launcher JVM wrote to <home>/launcher.log: its one READY or FAILED line, and the last lines
// of the log for an error message.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const LAUNCHER_LOG = 'launcher.log';
export const READY_MARKER = 'EIOR_NEO4J_READY';
export const FAILED_MARKER = 'EIOR_NEO4J_FAILED';
export const STOPPED_MARKER = 'EIOR_NEO4J_STOPPED';

export type LauncherLogState =
  | { state: 'ready'; uri: string }
  | { state: 'failed'; reason: string }
  | { state: 'pending' };

export function launcherLogPath(home: string): string {
  return path.join(home, LAUNCHER_LOG);
}

/** Where the launcher is, judged from its log: the ready line carries the Bolt URI it listens on. */
export function parseLauncherLog(text: string): LauncherLogState {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(`${READY_MARKER} `)) {
      return { state: 'ready', uri: line.slice(READY_MARKER.length + 1).trim() };
    }
    if (line.startsWith(FAILED_MARKER)) {
      return { state: 'failed', reason: line.slice(FAILED_MARKER.length).trim() };
    }
  }
  return { state: 'pending' };
}

/** The last `count` non-empty lines, for an error message a person can act on. */
export function tailLines(text: string, count: number): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-count).join('\n');
}

export async function readLauncherLog(home: string): Promise<string> {
  try {
    return await fs.readFile(launcherLogPath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** The tail of launcher.log, framed for an error message (empty when there is no log yet). */
export async function launcherLogTail(home: string, count = 20): Promise<string> {
  const tail = tailLines(await readLauncherLog(home), count);
  return tail === '' ? '' : `\n--- last lines of ${launcherLogPath(home)} ---\n${tail}`;
}
