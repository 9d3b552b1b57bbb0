// Who used the machine's CPU during a phase of a benchmark, from /proc (Linux): the benchmark's own process (the load
// generator), the server's process tree, Neo4j, and everything else on the machine; and how late the benchmark's own
// event loop ran (a generator starved of CPU sends late and reads answers late, which shows as server latency).
import { readFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the project runs on

/** CPU seconds (user + system) of one process, 0 when it is gone; and its parent's pid. */
function processStat(pid: number): { cpu: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** CPU seconds of `root` and all its descendants now alive. */
function treeCpu(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = processStat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  let total = 0;
  for (const stack = [root]; stack.length > 0; ) {
    const pid = stack.pop()!;
    total += processStat(pid)?.cpu ?? 0;
    stack.push(...(children.get(pid) ?? []));
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
  /** Mean cores used over the phase by each party (1 = one core busy all the time). */
  coresUsed: { generator: number; server: number; neo4j: number; rest: number };
  /** How late the generator's own event loop ran during the phase, ms. */
  generatorLoopDelayMs: { p50: number; p99: number; max: number };
}

/** Starts measuring; `stop()` gives each party's share since then. `serverPid` is the root of the server's tree. */
export function cpuShare(serverPid: number, neo4jPid: number | null): { stop(): CpuShare } {
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const first = { at: performance.now(), self: process.cpuUsage(), server: treeCpu(serverPid), neo4j: neo4jPid ? treeCpu(neo4jPid) : 0, machine: machineCpu() };
  return {
    stop() {
      loop.disable();
      const seconds = (performance.now() - first.at) / 1000;
      const self = process.cpuUsage(first.self);
      const generator = (self.user + self.system) / 1e6;
      const server = treeCpu(serverPid) - first.server;
      const neo4j = neo4jPid ? treeCpu(neo4jPid) - first.neo4j : 0;
      const machine = machineCpu();
      const busy = machine.busy - first.machine.busy;
      const per = (x: number) => Math.round((x / seconds) * 100) / 100;
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      return {
        seconds: Math.round(seconds * 10) / 10,
        cores: machine.cores,
        coresUsed: { generator: per(generator), server: per(server), neo4j: per(neo4j), rest: per(Math.max(0, busy - generator - server - neo4j)) },
        generatorLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      };
    },
  };
}
