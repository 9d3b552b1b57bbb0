// Who used the machine's CPU during a phase of a benchmark, from /proc (Linux): the benchmark's own process (the load
// generator), the server's process tree, Neo4j, and everything else on the machine; and how late the benchmark's own
// event loop ran (a generator starved of CPU sends late and reads answers late, which shows as server latency).
import { readFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { readStat } from './proc-cpu';

const TICKS_PER_SECOND = 100; // USER_HZ, for /proc/stat's machine-wide ticks

/** One process's stat (its parent, CPU seconds); null when it is gone. */
const processStat = (pid: number) => readStat(`/proc/${pid}/stat`);

/** The pids of `root` and all its descendants now alive. */
function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = processStat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const pids: number[] = [];
  for (const stack = [root]; stack.length > 0; ) {
    const pid = stack.pop()!;
    pids.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return pids;
}

/** CPU seconds of `root` and all its descendants now alive. */
function treeCpu(root: number): number {
  return treePids(root).reduce((sum, pid) => sum + (processStat(pid)?.cpuSeconds ?? 0), 0);
}

/** CPU seconds of the threads in `root`'s tree that run at the lowest priority (SCHED_IDLE or nice 19: the API's BI thread, bi/thread-priority.ts). */
function lowPriorityThreadCpu(root: number): number {
  let total = 0;
  for (const pid of treePids(root)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const t = readStat(`/proc/${pid}/task/${tid}/stat`); // null: the thread ended
      if (t && (t.nice === 19 || t.policy === 'SCHED_IDLE')) total += t.cpuSeconds;
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine (all cores) and its number of cores, from /proc/stat. */
function machineCpu(): { busy: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const [, ...ticks] = lines[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + (ticks[4] ?? 0);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, cores: lines.filter((l) => /^cpu\d+ /.test(l)).length };
}

export interface CpuShare {
  seconds: number;
  cores: number;
  /**
   * Mean cores used over the phase by each party (1 = one core busy all the time); lowPriorityThreads and
   * serverPrimary (the server's root process: with --workers N and a priority worker, the front) are parts of server.
   */
  coresUsed: { generator: number; server: number; serverPrimary: number; lowPriorityThreads: number; neo4j: number; rest: number };
  /** How late the generator's own event loop ran during the phase, ms. */
  generatorLoopDelayMs: { p50: number; p99: number; max: number };
}

/** Starts measuring; `stop()` gives each party's share since then. `serverPid` is the root of the server's tree. */
export function cpuShare(serverPid: number, neo4jPid: number | null): { stop(): CpuShare } {
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const primaryCpu = () => processStat(serverPid)?.cpuSeconds ?? 0;
  const first = { at: performance.now(), self: process.cpuUsage(), server: treeCpu(serverPid), primary: primaryCpu(), low: lowPriorityThreadCpu(serverPid), neo4j: neo4jPid ? treeCpu(neo4jPid) : 0, machine: machineCpu() };
  return {
    stop() {
      loop.disable();
      const seconds = (performance.now() - first.at) / 1000;
      const self = process.cpuUsage(first.self);
      const generator = (self.user + self.system) / 1e6;
      const server = treeCpu(serverPid) - first.server;
      const low = lowPriorityThreadCpu(serverPid) - first.low;
      const neo4j = neo4jPid ? treeCpu(neo4jPid) - first.neo4j : 0;
      const machine = machineCpu();
      const busy = machine.busy - first.machine.busy;
      const per = (x: number) => Math.round((x / seconds) * 100) / 100;
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      return {
        seconds: Math.round(seconds * 10) / 10,
        cores: machine.cores,
        coresUsed: { generator: per(generator), server: per(server), serverPrimary: per(primaryCpu() - first.primary), lowPriorityThreads: per(low), neo4j: per(neo4j), rest: per(Math.max(0, busy - generator - server - neo4j)) },
        generatorLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      };
    },
  };
}

/**
 * Waits until the server's process tree has used less than `maxCores` over a whole `windowSeconds` (its start-up work
 * done: models loaded, first pages precomputed, drift reports built, for every dataset it serves), polling every
 * half second, at most `timeoutSeconds`. Resolves with the seconds waited and whether it got quiet.
 */
export async function waitForQuietServer(serverPid: number, { maxCores = 0.05, windowSeconds = 2, timeoutSeconds = 300 } = {}): Promise<{ seconds: number; quiet: boolean }> {
  const started = performance.now();
  const samples: { at: number; cpu: number }[] = [];
  for (;;) {
    const at = performance.now();
    samples.push({ at, cpu: treeCpu(serverPid) });
    while (samples.length > 1 && at - samples[1].at >= windowSeconds * 1000) samples.shift();
    const first = samples[0];
    const span = (at - first.at) / 1000;
    const seconds = (at - started) / 1000;
    if (span >= windowSeconds && (samples[samples.length - 1].cpu - first.cpu) / span < maxCores) return { seconds, quiet: true };
    if (seconds >= timeoutSeconds) return { seconds, quiet: false };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
