// A Neo4j for a benchmark: NEO4J_URI when set, else a fresh local server in a temporary folder (an empty
// database), stopped and removed at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPageCache, startLocalNeo4j, stopLocalNeo4j } from '@eior/graph';
import { cpuSeconds } from './proc-cpu';
import { procMemory } from './proc-memory';

export interface BenchNeo4j {
  uri: string;
  /** True when the benchmark started a fresh server with an empty store. */
  fresh: boolean;
  startMs: number;
  /** The page cache of a fresh server ("" for NEO4J_URI). */
  pageCache: string;
  /** Peak resident memory of a fresh server's JVM so far (VmHWM), MB; null for NEO4J_URI or off Linux. */
  peakRssMb(): number | null;
  /** CPU seconds a fresh server's JVM has used so far; NaN for NEO4J_URI or off Linux. */
  cpuSeconds(): number;
  /** A fresh server's home folder and port (the CLI may manage it: EIOR_NEO4J_HOME, EIOR_NEO4J_PORT); "" and 0 for NEO4J_URI. */
  home: string;
  port: number;
  close(): Promise<void>;
}

/** pageCache: the fresh server's, by default what the CLI's own Neo4j gets (defaultPageCache). */
export async function benchNeo4j(port = 7699, pageCache = defaultPageCache().size): Promise<BenchNeo4j> {
  if (process.env.NEO4J_URI) {
    return { uri: process.env.NEO4J_URI, fresh: false, startMs: 0, pageCache: '', peakRssMb: () => null, cpuSeconds: () => Number.NaN, home: '', port: 0, close: async () => undefined };
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'eior-bench-neo4j-'));
  const started = await startLocalNeo4j({ home, port, heap: '1g', pageCache });
  // A bulk import restarts the server: its JVMs are followed through the pid file, each one's CPU seconds sampled
  // every second (the last sample of a JVM that has exited stands for its total), its peak memory the highest seen.
  const cpu = new Map<number, number>();
  const peak = new Map<number, number>();
  const current = () => pidInHome(home) ?? started.pid;
  const sample = () => {
    const pid = current();
    const c = cpuSeconds(pid);
    if (Number.isFinite(c)) cpu.set(pid, c);
    const m = peakRssMbOf(pid);
    if (m !== null) peak.set(pid, m);
  };
  sample();
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    uri: started.uri,
    fresh: true,
    startMs: started.startMs,
    pageCache,
    peakRssMb: () => {
      sample();
      return peak.size > 0 ? Math.max(...peak.values()) : null;
    },
    cpuSeconds: () => {
      sample();
      return [...cpu.values()].reduce((a, b) => a + b, 0);
    },
    home,
    port,
    close: async () => {
      clearInterval(timer);
      await stopLocalNeo4j({ home });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The project's state folder as the CLI the benchmarks run finds it: EIOR_HOME, else .eior in the checkout. */
export function projectHome(): string {
  return path.resolve(process.env.EIOR_HOME ?? path.join(__dirname, '..', '..', '..', '.eior'));
}

/** The pid of the project's Neo4j of state folder `home` (EIOR_HOME), from its launcher's pid file; null when there is none. */
export function neo4jPidOf(home: string): number | null {
  try {
    return (JSON.parse(readFileSync(path.join(home, 'neo4j', 'neo4j.pid'), 'utf8')) as { pid?: number }).pid ?? null;
  } catch {
    return null;
  }
}

/** The pid in a server home's pid file (the launcher's), or null. */
function pidInHome(home: string): number | null {
  try {
    return (JSON.parse(readFileSync(path.join(home, 'neo4j.pid'), 'utf8')) as { pid?: number }).pid ?? null;
  } catch {
    return null;
  }
}

/** VmHWM of process `pid` (Linux), MB; null when it cannot be read. */
export function peakRssMbOf(pid: number): number | null {
  try {
    const { peakMb } = procMemory(pid);
    return Number.isFinite(peakMb) ? peakMb : null;
  } catch {
    return null;
  }
}
