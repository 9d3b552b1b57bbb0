// CPU seconds of a process from /proc/<pid>/stat (Linux): its own, or those of its children it has waited for,
// so a benchmark can say how much of a run's wall time the ingest process and Neo4j each spent on a CPU.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ): 100 on Linux builds. */
const TICKS = 100;

/** The numeric fields of /proc/<pid>/stat after the command name (which may hold spaces): field 3 is at 0. */
function statFields(pid: number | 'self'): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
}

/** User + system CPU seconds of process `pid` so far; NaN when /proc cannot be read. */
export function cpuSeconds(pid: number | 'self'): number {
  try {
    const f = statFields(pid);
    return (f[11] + f[12]) / TICKS; // utime, stime (fields 14, 15)
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU seconds of this process's children that have ended and been waited for; NaN off Linux. */
export function childrenCpuSeconds(): number {
  try {
    const f = statFields('self');
    return (f[13] + f[14]) / TICKS; // cutime, cstime (fields 16, 17)
  } catch {
    return Number.NaN;
  }
}
