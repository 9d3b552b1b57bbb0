// Lowering a process's CPU scheduling priority (nice), every thread of it: on Linux a nice value belongs to a
// thread, and os.setPriority(pid) changes only the process's main thread, while V8's and libuv's threads started
// before it keep theirs. Threads started later inherit the nice value of the thread that starts them. Raising a
// priority needs privileges a serve process does not have, so a thread already at or below the target is left as it
// is (the BI thread lowers itself further, bi/thread-priority.ts).
import { readdirSync } from 'node:fs';
import os from 'node:os';

/** The thread ids of `pid` (Linux: /proc/<pid>/task), or just `pid` where /proc is not there. */
function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).filter(Number.isInteger);
  } catch {
    return [pid];
  }
}

/**
 * Sets every thread of `pid` whose nice value is below `nice` to `nice` (clamped to 19). Returns how many threads
 * changed; a thread that ended meanwhile is skipped, any other refusal is thrown.
 */
export function lowerPriority(pid: number, nice: number): number {
  const target = Math.min(19, nice);
  let changed = 0;
  for (const tid of threadsOf(pid)) {
    try {
      if (os.getPriority(tid) >= target) continue;
      os.setPriority(tid, target);
      changed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH' && !/ESRCH|no such process/i.test(String(error))) throw error;
    }
  }
  return changed;
}

/** How many nice levels the workers that take the mix run below the primary and the priority worker. */
export const MIX_WORKER_NICE_OFFSET = 10;
