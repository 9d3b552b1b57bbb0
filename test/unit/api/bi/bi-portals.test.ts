import { ConnectionPortals } from '../../../../apps/api/src/bi/bi-portals';
import * as wire from '../../../../apps/api/src/bi/bi-wire';

/** A DataRow with one text column. */
function row(value: string): Uint8Array {
  const text = Buffer.from(value);
  const out = Buffer.alloc(11 + text.length);
  out.write('D', 0, 'latin1');
  out.writeInt32BE(10 + text.length, 1);
  out.writeInt16BE(1, 5);
  out.writeInt32BE(text.length, 7);
  text.copy(out, 11);
  return new Uint8Array(out);
}
const DESCRIPTION = Uint8Array.from([0x54, 0, 0, 0, 6, 0, 0]); // RowDescription with no fields: only its bytes matter here
const rows = (n: number) => Array.from({ length: n }, (_, i) => row(String(i + 1)));
const names = (messages: Uint8Array[]) => messages.map((m) => (m[0] === 0x44 ? Buffer.from(m.subarray(11)).toString() : m[0] === 0x43 ? wire.commandTag(m) : String.fromCharCode(m[0])));

describe('ConnectionPortals', () => {
  it('sends the first rows with PortalSuspended and the rest on later Executes, with the count of each in its tag', () => {
    const portals = new ConnectionPortals();
    expect(names(portals.take('C_1', 2, DESCRIPTION, [...rows(5), wire.commandComplete('SELECT 5')]))).toEqual(['1', '2', 's']);
    expect(portals.has('C_1')).toBe(true);
    expect(portals.describe('C_1')).toBe(DESCRIPTION);
    expect(names(portals.execute('C_1', 2))).toEqual(['3', '4', 's']);
    expect(names(portals.execute('C_1', 2))).toEqual(['5', 'SELECT 1']);
    // PostgreSQL answers an exhausted portal with no rows
    expect(names(portals.execute('C_1', 2))).toEqual(['SELECT 0']);
    portals.drop('C_1');
    expect(portals.has('C_1')).toBe(false);
  });

  it('suspends a run that reaches the limit exactly, then completes with 0 rows, and gives all the rest for a limit of 0', () => {
    const portals = new ConnectionPortals();
    portals.take('', 2, DESCRIPTION, [...rows(4), wire.commandComplete('SELECT 4')]);
    expect(names(portals.execute('', 2))).toEqual(['3', '4', 's']);
    expect(names(portals.execute('', 2))).toEqual(['SELECT 0']);
    portals.take('p', 1, DESCRIPTION, [...rows(4), wire.commandComplete('FETCH 4')]);
    expect(names(portals.execute('p', 0))).toEqual(['2', '3', '4', 'FETCH 3']);
  });

  it('keeps nothing for a run within the limit or one that failed', () => {
    const portals = new ConnectionPortals();
    const whole = [...rows(2), wire.commandComplete('SELECT 2')];
    expect(portals.take('a', 2, DESCRIPTION, whole)).toEqual(whole);
    const error = wire.errorResponse('ERROR', '22012', 'division by zero');
    expect(names(portals.take('b', 2, DESCRIPTION, [...rows(3), error]))).toEqual(['1', '2', 'E']);
    expect(portals.size).toBe(0);
  });
});
