// CPU seconds of processes and threads from /proc (Linux), for every bench: how much of a run's wall time the ingest
// process, the server and Neo4j each spent on a CPU. The stat line is parsed by the API's own reader (parseProcStat).
import { readFileSync } from 'node:fs';
import { parseProcStat, type ProcStat } from '@eior/api';

/** A process's or thread's stat file (`/proc/<pid>/stat`, `/proc/<pid>/task/<tid>/stat`) read; null when it is gone. */
export function readStat(file: string): ProcStat | null {
  try {
    return parseProcStat(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** User + system CPU seconds of process `pid` so far; NaN when /proc cannot be read. */
export function cpuSeconds(pid: number | 'self'): number {
  return readStat(`/proc/${pid}/stat`)?.cpuSeconds ?? Number.NaN;
}

/** User + system CPU seconds of this process's children that have ended and been waited for; NaN off Linux. */
export function childrenCpuSeconds(): number {
  return readStat('/proc/self/stat')?.childrenCpuSeconds ?? Number.NaN;
}

/**
 * How long process `pid` has run, and its CPU seconds so far (a JVM's work since it started: how much of its code the
 * JIT compiler has had the chance to compile); null when /proc cannot say.
 */
export function processAge(pid: number): { upSeconds: number; cpuSeconds: number } | null {
  const stat = readStat(`/proc/${pid}/stat`);
  if (!stat) return null;
  try {
    const sinceBoot = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return { upSeconds: Math.round(sinceBoot - stat.startedAfterBootSeconds), cpuSeconds: Math.round(stat.cpuSeconds) };
  } catch {
    return null;
  }
}
