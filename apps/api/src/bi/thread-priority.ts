// The BI worker thread's CPU priority (Linux), set by the thread itself and read back from /proc, so that what took
// effect is known, not assumed. `idle` (the default) puts the thread under SCHED_IDLE: the kernel runs it only when
// no other thread of its group wants the core, and an API thread that wakes up takes the core from it at once.
// `low` is nice 19 only (a small share: weight 15 against a nice-10 API thread's 110, and a waking thread may wait
// for its slice to end); `normal` leaves the thread at the process's priority. Node has no call for the scheduling policy, so
// `idle` runs util-linux's `chrt` on the thread's own id; without chrt the thread stays at nice 19 and says so.
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export type BiThreadPriority = 'idle' | 'low' | 'normal';
export const BI_THREAD_PRIORITIES: readonly BiThreadPriority[] = ['idle', 'low', 'normal'];

/** The nice value of a `low` or `idle` BI thread: the lowest priority. */
export const LOW_NICE = 19;

/** Linux scheduling policies by number (sched.h). */
const POLICY_NAMES: Record<number, string> = { 0: 'SCHED_OTHER', 1: 'SCHED_FIFO', 2: 'SCHED_RR', 3: 'SCHED_BATCH', 5: 'SCHED_IDLE', 6: 'SCHED_DEADLINE' };

/** How a thread is scheduled now. */
export interface ThreadSchedule {
  /** The thread's id (Linux TID). */
  tid: number;
  /** SCHED_OTHER, SCHED_IDLE, ... */
  policy: string;
  nice: number;
}

/**
 * The nice value and policy from the text of /proc/<pid>/task/<tid>/stat. The thread's name (field 2) is in
 * parentheses and may hold spaces and ')', so fields are counted after the last ')': nice is field 19, policy 41.
 */
export function parseThreadStat(text: string): { nice: number; policy: string } {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc stat line (no ')' after the name): ${JSON.stringify(text.slice(0, 80))}`);
  const fields = text.slice(close + 2).trim().split(' '); // fields[0] is field 3 (state)
  const nice = Number(fields[19 - 3]);
  const policyNumber = Number(fields[41 - 3]);
  if (!Number.isInteger(nice) || !Number.isInteger(policyNumber)) throw new Error(`a /proc stat line without nice (field 19) and policy (field 41): ${JSON.stringify(text.slice(0, 80))}`);
  return { nice, policy: POLICY_NAMES[policyNumber] ?? `policy ${policyNumber}` };
}

/** How thread `tid` of process `pid` is scheduled, from /proc. */
export function readThreadSchedule(pid: number, tid: number): ThreadSchedule {
  return { tid, ...parseThreadStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')) };
}

/**
 * Sets the calling thread's priority and returns how it is scheduled afterwards; null where there is no
 * /proc/thread-self (not Linux), where the thread keeps the process's priority.
 */
export function setThisThreadPriority(priority: BiThreadPriority): ThreadSchedule | null {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop()); // '<pid>/task/<tid>'
  } catch {
    return null;
  }
  if (priority !== 'normal') {
    try {
      setPriority(tid, LOW_NICE); // setpriority(2) on a TID changes that thread only
    } catch {
      // not permitted: the read-back below tells
    }
  }
  if (priority === 'idle') {
    try {
      // chrt --idle 0 on a TID (without --all-tasks) changes that thread only; lowering needs no privilege
      execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5_000 });
    } catch {
      // no chrt: the thread stays at nice 19, and the schedule read back says so
    }
  }
  return readThreadSchedule(process.pid, tid);
}
