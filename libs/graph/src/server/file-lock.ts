// A lock file held while one process builds the launcher or starts the server of a home folder, so that two
// commands started at once do not both run Maven into the same lib/, or both spawn a JVM on the same store.
import { promises as fs } from 'node:fs';
import { GraphError } from '../errors';
import { isProcessAlive, sleep } from './pid-file';

/** Long enough for a first Maven download on a slow line plus a cold start. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;
const POLL_MS = 250;
/** An empty lock file is being written by its holder; one this old was left by a crash instead. */
const TORN_LOCK_MS = 5_000;

/**
 * Runs `work` while holding `lockPath` (created exclusively, holding this pid). Waits while another live
 * process holds it; takes over a lock whose holder has died.
 */
export async function withFileLock<T>(
  lockPath: string,
  what: string,
  work: () => Promise<T>,
  waitMs = DEFAULT_LOCK_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await fs.writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(lockPath);
    if (holder === undefined ? await olderThan(lockPath, TORN_LOCK_MS) : !(await isProcessAlive(holder))) {
      // The holder died mid-way: what it left is redone under our lock.
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new GraphError('CONFLICT', `${what} is held by another process (pid ${holder ?? 'unknown'}, lock ${lockPath}) `
        + `for more than ${Math.round(waitMs / 1000)} s: wait for it, or stop it`);
    }
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs > ms;
  } catch {
    return false;
  }
}

async function lockHolder(lockPath: string): Promise<number | undefined> {
  try {
    const pid = Number((await fs.readFile(lockPath, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // removed meanwhile: try again
  }
}
