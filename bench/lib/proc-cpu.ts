// CPU seconds of processes and threads from /proc (Linux): one reader of /proc/<pid>/stat for every bench, so a
// benchmark can say how much of a run's wall time the ingest process, the server and Neo4j each spent on a CPU.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ): 100 on Linux builds. */
const TICKS = 100;

/** The numeric fields of a stat file after the command name (which may hold any character): field 3 is at 0. */
function statFields(file: string): number[] {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
}

/**
 * A process's or thread's stat file (`/proc/<pid>/stat`, `/proc/<pid>/task/<tid>/stat`) read: its parent, CPU seconds
 * (user + system), nice value and scheduling policy; null when it is gone.
 */
export function readStat(file: string): { ppid: number; cpu: number; nice: number; policy: number } | null {
  try {
    const f = statFields(file);
    return { ppid: f[1], cpu: (f[11] + f[12]) / TICKS, nice: f[16], policy: f[38] };
  } catch {
    return null;
  }
}

/** User + system CPU seconds of process `pid` so far; NaN when /proc cannot be read. */
export function cpuSeconds(pid: number | 'self'): number {
  return readStat(`/proc/${pid}/stat`)?.cpu ?? Number.NaN;
}

/** User + system CPU seconds of this process's children that have ended and been waited for; NaN off Linux. */
export function childrenCpuSeconds(): number {
  try {
    const f = statFields('/proc/self/stat');
    return (f[13] + f[14]) / TICKS; // cutime, cstime (fields 16, 17)
  } catch {
    return Number.NaN;
  }
}
