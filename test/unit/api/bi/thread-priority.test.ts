// Reading a thread's schedule from /proc: hand-written stat lines (a name with spaces and parentheses) and this
// test's own thread, whose priority the test knows.
import { getPriority } from 'node:os';
import { parseThreadStat, readThreadSchedule } from '../../../../apps/api/src/bi/thread-priority';

/** A stat line with the given name, nice (field 19) and policy (field 41); the other fields are counters. */
function statLine(name: string, nice: number, policy: number): string {
  const fields = Array.from({ length: 52 - 2 }, (_, k) => String(k + 3)); // fields 3..52 hold their own number
  fields[0] = 'S';
  fields[19 - 3] = String(nice);
  fields[41 - 3] = String(policy);
  return `4242 (${name}) ${fields.join(' ')}\n`;
}

describe('parseThreadStat', () => {
  it('reads nice and policy after the last parenthesis, whatever the name holds', () => {
    expect(parseThreadStat(statLine('node', 19, 5))).toEqual({ nice: 19, policy: 'SCHED_IDLE' });
    expect(parseThreadStat(statLine('a b) 7 (c', -5, 0))).toEqual({ nice: -5, policy: 'SCHED_OTHER' });
    expect(parseThreadStat(statLine('worker', 10, 3))).toEqual({ nice: 10, policy: 'SCHED_BATCH' });
    expect(parseThreadStat(statLine('x', 0, 9))).toEqual({ nice: 0, policy: 'policy 9' });
  });

  it('names a line that is not a stat line', () => {
    expect(() => parseThreadStat('no name here')).toThrow("not a /proc stat line (no ')' after the name): \"no name here\"");
    expect(() => parseThreadStat('1 (short) S 2 3')).toThrow('a /proc stat line without nice (field 19) and policy (field 41): "1 (short) S 2 3"');
  });
});

describe('readThreadSchedule', () => {
  it("gives this process's main thread its nice value and the default policy", () => {
    expect(readThreadSchedule(process.pid, process.pid)).toEqual({ tid: process.pid, nice: getPriority(), policy: 'SCHED_OTHER' });
  });
});
