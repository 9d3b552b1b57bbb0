// How threads are scheduled on the CPU (Linux), read from /proc (one parser of its stat lines, which the benchmarks'
// CPU counts use too) and lowered, never raised (raising needs privileges
// an API process does not have). A nice value and a scheduling policy belong to a thread: os.setPriority(pid) changes
// only a process's main thread, while V8's and libuv's threads started before keep theirs; threads started later
// inherit both from the thread that starts them. Node has no call for the policy, so SCHED_IDLE is set with
// util-linux's `chrt`; without it a caller keeps the nice value alone, and the schedule read back says so. Used for
// the BI thread (bi/thread-priority.ts) and the mix workers of `eior serve --workers N`.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

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

/** Clock ticks per second of /proc's times (USER_HZ): 100 on Linux builds. */
const TICKS = 100;

/** What a /proc stat line says of a process or thread. */
export interface ProcStat {
  /** The parent's pid. */
  ppid: number;
  /** User + system CPU seconds so far. */
  cpuSeconds: number;
  /** User + system CPU seconds of its children that have ended and been waited for. */
  childrenCpuSeconds: number;
  nice: number;
  /** SCHED_OTHER, SCHED_IDLE, ... */
  policy: string;
  /** When it started, in seconds after the machine booted (/proc/uptime counts from the same moment). */
  startedAfterBootSeconds: number;
}

/**
 * The fields of the text of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat that the API and the benchmarks read. The
 * name (field 2) is in parentheses and may hold spaces and ')', so fields are counted after the last ')': ppid is
 * field 4, utime and stime 14 and 15, cutime and cstime 16 and 17, nice 19, starttime 22, policy 41.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc stat line (no ')' after the name): ${JSON.stringify(text.slice(0, 80))}`);
  const fields = text.slice(close + 2).trim().split(' '); // fields[0] is field 3 (state)
  const field = (n: number) => Number(fields[n - 3]);
  const [nice, policyNumber] = [field(19), field(41)];
  if (!Number.isInteger(nice) || !Number.isInteger(policyNumber)) throw new Error(`a /proc stat line without nice (field 19) and policy (field 41): ${JSON.stringify(text.slice(0, 80))}`);
  return {
    ppid: field(4),
    cpuSeconds: (field(14) + field(15)) / TICKS,
    childrenCpuSeconds: (field(16) + field(17)) / TICKS,
    nice,
    policy: POLICY_NAMES[policyNumber] ?? `policy ${policyNumber}`,
    startedAfterBootSeconds: field(22) / TICKS,
  };
}

/** How thread `tid` of process `pid` is scheduled, from /proc. */
export function readThreadSchedule(pid: number, tid: number): ThreadSchedule {
  const { nice, policy } = parseProcStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
  return { tid, nice, policy };
}

/** The thread ids of `pid` (Linux: /proc/<pid>/task), or just `pid` where /proc is not there. */
function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).filter(Number.isInteger);
  } catch {
    return [pid];
  }
}

/** How every thread of `pid` is scheduled now (threads that ended meanwhile left out); empty without /proc. */
export function processSchedule(pid: number): ThreadSchedule[] {
  return threadsOf(pid).flatMap((tid) => {
    try {
      return [readThreadSchedule(pid, tid)];
    } catch {
      return [];
    }
  });
}

/**
 * Sets every thread of `pid` whose nice value is below `nice` to `nice` (clamped to 19). Returns how many threads
 * changed; a thread that ended meanwhile is skipped, any other refusal is thrown.
 */
export function lowerNice(pid: number, nice: number): number {
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

/**
 * Puts one thread (`tid`) or every thread of a process (`pid`: chrt --all-tasks) under SCHED_IDLE: the kernel runs
 * it only when no other thread of its scheduling group wants the core, and a thread of that group that wakes up takes
 * the core from it at once. Lowering needs no privilege. False when chrt is missing or refused.
 */
export function schedIdle(target: { tid: number } | { pid: number }): boolean {
  // --all-tasks before --pid: after it, util-linux 2.38's chrt changes the main thread only
  const args = 'tid' in target ? ['--pid', '0', String(target.tid)] : ['--all-tasks', '--pid', '0', String(target.pid)];
  try {
    execFileSync('chrt', ['--idle', ...args], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
