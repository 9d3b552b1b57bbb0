// Thread schedules: reading them from /proc (hand-written stat lines, a name with spaces and parentheses, and this
// test's own thread, whose priority the test knows), and lowering every thread of another process (a child with a
// worker thread, so that it has threads started before and after).
import { spawn, type ChildProcess } from 'node:child_process';
import { getPriority } from 'node:os';
import { lowerNice, parseProcStat, processSchedule, readThreadSchedule, schedIdle } from '../../../apps/api/src/cpu-schedule';

/** A stat line with the given name, nice (field 19) and policy (field 41); the other fields are counters. */
function statLine(name: string, nice: number, policy: number): string {
  const fields = Array.from({ length: 52 - 2 }, (_, k) => String(k + 3)); // fields 3..52 hold their own number
  fields[0] = 'S';
  fields[19 - 3] = String(nice);
  fields[41 - 3] = String(policy);
  return `4242 (${name}) ${fields.join(' ')}\n`;
}

describe('parseProcStat', () => {
  it('reads the parent, CPU times, nice, start time and policy after the last parenthesis, whatever the name holds', () => {
    // fields 4, 14 to 17 and 22 hold their own numbers: ppid 4, CPU (14 + 15) / 100 s, children's (16 + 17) / 100 s,
    // started 22 / 100 s after boot
    const counters = { ppid: 4, cpuSeconds: 0.29, childrenCpuSeconds: 0.33, startedAfterBootSeconds: 0.22 };
    expect(parseProcStat(statLine('node', 19, 5))).toEqual({ ...counters, nice: 19, policy: 'SCHED_IDLE' });
    expect(parseProcStat(statLine('a b) 7 (c', -5, 0))).toEqual({ ...counters, nice: -5, policy: 'SCHED_OTHER' });
    expect(parseProcStat(statLine('worker', 10, 3))).toEqual({ ...counters, nice: 10, policy: 'SCHED_BATCH' });
    expect(parseProcStat(statLine('x', 0, 9))).toEqual({ ...counters, nice: 0, policy: 'policy 9' });
  });

  it('names a line that is not a stat line', () => {
    expect(() => parseProcStat('no name here')).toThrow("not a /proc stat line (no ')' after the name): \"no name here\"");
    expect(() => parseProcStat('1 (short) S 2 3')).toThrow('a /proc stat line without nice (field 19) and policy (field 41): "1 (short) S 2 3"');
  });
});

describe('readThreadSchedule', () => {
  it("gives this process's main thread its nice value and the default policy", () => {
    expect(readThreadSchedule(process.pid, process.pid)).toEqual({ tid: process.pid, nice: getPriority(), policy: 'SCHED_OTHER' });
  });
});

describe('lowering every thread of a process', () => {
  let child: ChildProcess;
  beforeEach(async () => {
    const code = "new (require('node:worker_threads').Worker)('setInterval(() => {}, 1000)', { eval: true }).on('online', () => console.log('up')); setInterval(() => {}, 1000);";
    child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
  });
  afterEach(() => void child.kill());

  it('puts every thread under SCHED_IDLE, not only the main one (util-linux chrt)', () => {
    const before = processSchedule(child.pid!);
    expect(before.length).toBeGreaterThan(2);
    expect(new Set(before.map((t) => t.policy))).toEqual(new Set(['SCHED_OTHER']));
    expect(schedIdle({ pid: child.pid! })).toBe(true);
    const after = processSchedule(child.pid!);
    expect(after.map((t) => t.tid).sort()).toEqual(before.map((t) => t.tid).sort());
    expect(new Set(after.map((t) => t.policy))).toEqual(new Set(['SCHED_IDLE']));
  });

  it('lowers the nice value of every thread below the target, and raises none', () => {
    const base = getPriority(child.pid!);
    const threads = processSchedule(child.pid!).length;
    expect(lowerNice(child.pid!, base + 3)).toBe(threads);
    expect(new Set(processSchedule(child.pid!).map((t) => t.nice))).toEqual(new Set([Math.min(19, base + 3)]));
    expect(lowerNice(child.pid!, base + 1)).toBe(0);
    expect(new Set(processSchedule(child.pid!).map((t) => t.nice))).toEqual(new Set([Math.min(19, base + 3)]));
  });
});
