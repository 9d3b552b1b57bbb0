// A process's resident memory now and at its peak, from /proc/<pid>/status (Linux), for the benches that report
// what the server, Neo4j or an ingest held.
import { readFileSync } from 'node:fs';

/** VmRSS and VmHWM of process `pid` in MB (NaN for a line the kernel does not give); throws when it cannot be read. */
export function procMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(/(\d+)\s*kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS:') / 1024), peakMb: Math.round(kb('VmHWM:') / 1024) };
}
