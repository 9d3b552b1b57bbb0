import { checkNoDuplicatePairs, readInterFile } from '../../../libs/graph/src/ingest/inter-reader';
import { tempDir } from '../../helpers/temp-dir';

const HEADER = 'userID\titemID\trating\ttimestamp\tx_label\n';

describe('readInterFile', () => {
  const tmp = tempDir('inter');
  afterAll(() => tmp.remove());

  const read = (content: string) => readInterFile(tmp.write('d.inter', content));

  it('reads users, items, splits, ratings and timestamps with first-appearance ids', async () => {
    const rows = await read(`${HEADER}u1\t7\t4.5\t100\t0\nu2\t3\t\t\t1\nu1\t3\t1\t300\t2\n`);
    expect(rows.count).toBe(3);
    expect(rows.userTokens).toEqual(['u1', 'u2']);
    expect(rows.itemTokens).toEqual(['7', '3']);
    expect(Array.from(rows.users)).toEqual([0, 1, 0]);
    expect(Array.from(rows.items)).toEqual([0, 1, 1]);
    expect(Array.from(rows.splits)).toEqual([0, 1, 2]);
    expect(Array.from(rows.ratings!)).toEqual([4.5, NaN, 1]);
    expect(Array.from(rows.timestamps!)).toEqual([100, NaN, 300]);
  });

  it('accepts a header without rating and timestamp, extra columns, any column order and CRLF line ends', async () => {
    const rows = await read('x_label\tuserID\textra\titemID\r\n0\ta\tz\tb\r\n');
    expect(rows.count).toBe(1);
    expect(rows.ratings).toBeUndefined();
    expect(rows.timestamps).toBeUndefined();
    expect(rows.userTokens).toEqual(['a']);
    expect(rows.itemTokens).toEqual(['b']);
  });

  it('refuses a missing header, naming the file, the line and the expected columns', async () => {
    await expect(read('0\t1\t0\t0\t0\n')).rejects.toThrow(/d\.inter, line 1: missing or wrong header.*expected.*userID itemID rating timestamp x_label/);
  });

  it('refuses a wrong header that lacks x_label', async () => {
    await expect(read('userID\titemID\trating\ttimestamp\tsplit\n')).rejects.toThrow(/line 1: .*missing x_label/);
  });

  it('refuses a line with the wrong column count', async () => {
    await expect(read(`${HEADER}1\t2\t0\t0\t0\n1\t3\t0\t0\n`)).rejects.toThrow(/d\.inter, line 3: 4 columns, expected 5/);
  });

  it('refuses a non-numeric split', async () => {
    await expect(read(`${HEADER}1\t2\t0\t0\ttrain\n`)).rejects.toThrow(/line 2: x_label 'train' is not a number: expected 0 \(train\), 1 \(valid\) or 2 \(test\)/);
  });

  it('refuses an unknown split value', async () => {
    await expect(read(`${HEADER}1\t2\t0\t0\t0\n1\t3\t0\t0\t3\n`)).rejects.toThrow(/line 3: unknown split value x_label=3/);
  });

  it('refuses a non-numeric rating and an infinite timestamp', async () => {
    await expect(read(`${HEADER}1\t2\tgood\t0\t0\n`)).rejects.toThrow(/line 2: rating 'good' is not a finite number/);
    await expect(read(`${HEADER}1\t2\t1\tInfinity\t0\n`)).rejects.toThrow(/line 2: timestamp 'Infinity' is not a finite number/);
  });

  it('refuses empty ids, empty lines and an empty file', async () => {
    await expect(read(`${HEADER}\t2\t1\t0\t0\n`)).rejects.toThrow(/line 2: empty userID/);
    await expect(read(`${HEADER}1\t2\t1\t0\t0\n\n1\t3\t1\t0\t0\n`)).rejects.toThrow(/line 3: empty line/);
    await expect(read('')).rejects.toThrow(/the file is empty/);
  });

  it('refuses a line cut short at the end of a truncated file', async () => {
    await expect(read(`${HEADER}1\t2\t1\t0\t0\n1\t3\t1`)).rejects.toThrow(/line 3: 3 columns, expected 5/);
  });
});

describe('checkNoDuplicatePairs', () => {
  const tmp = tempDir('dup');
  afterAll(() => tmp.remove());

  it('names both lines of a repeated (user, item) pair', async () => {
    const file = tmp.write('d.inter', `${HEADER}a\tx\t1\t0\t0\nb\tx\t1\t0\t0\na\ty\t1\t0\t0\na\tx\t1\t0\t2\n`);
    const rows = await readInterFile(file);
    expect(() => checkNoDuplicatePairs(file, rows)).toThrow(/line 5: repeats the interaction of user 'a' with item 'x' from line 2/);
  });

  it('accepts distinct pairs', async () => {
    const file = tmp.write('e.inter', `${HEADER}a\tx\t1\t0\t0\nb\tx\t1\t0\t0\na\ty\t1\t0\t0\n`);
    const rows = await readInterFile(file);
    expect(() => checkNoDuplicatePairs(file, rows)).not.toThrow();
  });
});
