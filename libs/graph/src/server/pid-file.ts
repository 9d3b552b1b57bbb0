// The pid file of a local Neo4j (<home>/neo4j.pid) and the questions asked of the process it names.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { processAlive } from '../process-alive';

export const PID_FILE = 'neo4j.pid';
/** The launcher's main class: how a live pid is told apart from an unrelated process that reused it. */
export const LAUNCHER_MAIN_CLASS = 'eior.Neo4jLauncher';

export interface PidRecord {
  pid: number;
  port: number;
  /** ISO time the launcher was spawned. */
  startedAt: string;
}

export function pidFilePath(home: string): string {
  return path.join(home, PID_FILE);
}

/** A pid record from the file's text, or undefined when the text is not one (a torn or foreign file). */
export function parsePidRecord(text: string): PidRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = value as Partial<PidRecord> | null;
  if (!r || !Number.isInteger(r.pid) || (r.pid as number) <= 0 || !Number.isInteger(r.port)) return undefined;
  return { pid: r.pid as number, port: r.port as number, startedAt: String(r.startedAt ?? '') };
}

export async function readPidFile(home: string): Promise<PidRecord | undefined> {
  try {
    return parsePidRecord(await fs.readFile(pidFilePath(home), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writePidFile(home: string, record: PidRecord): Promise<void> {
  // Written whole to a temporary name and renamed, so a reader never sees half a record.
  const tmp = `${pidFilePath(home)}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(record)}\n`);
  await fs.rename(tmp, pidFilePath(home));
}

export async function removePidFile(home: string): Promise<void> {
  await fs.rm(pidFilePath(home), { force: true });
}

/** True while `pid` runs; a zombie (exited, not yet reaped) counts as gone. */
export async function isProcessAlive(pid: number): Promise<boolean> {
  if (!processAlive(pid)) return false;
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all we have
  }
}

/** True when `pid` is a live launcher JVM, not some other process that was given the same pid later. */
export async function isLauncherProcess(pid: number): Promise<boolean> {
  if (!(await isProcessAlive(pid))) return false;
  let command: string;
  try {
    command = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
  } catch {
    try {
      command = (await promisify(execFile)('ps', ['-o', 'command=', '-p', String(pid)])).stdout;
    } catch {
      return true; // cannot tell: trust the pid file rather than start a second server on the same store
    }
  }
  return command.includes(LAUNCHER_MAIN_CLASS);
}

/** Sends `signal` to the launcher's process group (it was spawned detached, as its leader). */
export function signalLauncher(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves true once `pid` has exited, false when it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isProcessAlive(pid))) return true;
    await sleep(pollMs);
  }
  return !(await isProcessAlive(pid));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
