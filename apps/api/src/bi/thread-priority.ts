// The BI worker thread's CPU priority (Linux), set by the thread itself and read back from /proc, so that what took
// effect is known, not assumed. `idle` (the default) puts the thread under SCHED_IDLE: the kernel runs it only when
// no other thread of its group wants the core, and an API thread that wakes up takes the core from it at once.
// `low` is nice 19 only (a small share: weight 15 against a nice-10 API thread's 110, and a waking thread may wait
// for its slice to end); `normal` leaves the thread at the process's priority. Node has no call for the scheduling policy, so
// `idle` runs util-linux's `chrt` on the thread's own id (cpu-schedule.ts); without chrt the thread stays at nice 19 and says so.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { readThreadSchedule, schedIdle, type ThreadSchedule } from '../cpu-schedule';

export type BiThreadPriority = 'idle' | 'low' | 'normal';
export const BI_THREAD_PRIORITIES: readonly BiThreadPriority[] = ['idle', 'low', 'normal'];

/** The nice value of a `low` or `idle` BI thread: the lowest priority. */
export const LOW_NICE = 19;

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
  // lowering to SCHED_IDLE needs no privilege; without chrt the thread stays at nice 19, and the read-back says so
  if (priority === 'idle') schedIdle({ tid });
  return readThreadSchedule(process.pid, tid);
}
