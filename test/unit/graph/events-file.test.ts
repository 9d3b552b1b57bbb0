import { DEFAULT_EVENT_COLUMNS, EventSink, type EventRole } from '../../../libs/graph/src/ingest/event-sink';
import { eventFormat, readTable } from '../../../libs/graph/src/ingest/events-file';
import { NO_SPLIT } from '../../../libs/graph/src/ingest/collapse-events';
import { tempDir } from '../../helpers/temp-dir';

describe('events files (CSV and TSV)', () => {
  const tmp = tempDir('events-file');
  afterAll(() => tmp.remove());

  async function read(name: string, content: string, columns: Partial<typeof DEFAULT_EVENT_COLUMNS> = {}) {
    const file = tmp.write(name, content);
    const sink = new EventSink(name, { ...DEFAULT_EVENT_COLUMNS, ...columns }, new Set(Object.keys(columns) as EventRole[]));
    const bytes = await readTable(file, eventFormat(file), sink);
    return sink.rows(bytes);
  }

  it('reads mapped columns, ISO and numeric times, empty ratings and split words; ignores extra columns', async () => {
    const rows = await read('a.csv', 'who,what,when,stars,split,extra\nu1,"item, one",2026-01-02T00:00:00Z,4,train,x\nu2,i2,1767225600,,Test,y\r\n', {
      user: 'who',
      item: 'what',
      timestamp: 'when',
      rating: 'stars',
    });
    expect(rows.userTokens).toEqual(['u1', 'u2']);
    expect(rows.itemTokens).toEqual(['item, one', 'i2']);
    expect(Array.from(rows.timestamps!)).toEqual([1767312000, 1767225600]);
    expect(Array.from(rows.ratings!)).toEqual([4, NaN]);
    expect(Array.from(rows.splits)).toEqual([0, 2]);
    expect(rows.splitGiven).toBe(true);
    expect(rows.weights).toBeUndefined();
  });

  it('marks events without a split column as not split yet', async () => {
    const rows = await read('b.tsv', 'user\titem\tweight\nu\ti\t2.5\n');
    expect(rows.splitGiven).toBe(false);
    expect(Array.from(rows.splits)).toEqual([NO_SPLIT]);
    expect(Array.from(rows.weights!)).toEqual([2.5]);
  });

  it('names the exact line after a quoted field that spans lines', async () => {
    await expect(read('c.csv', 'user,item,rating\nu,"two\nlines",1\nv,i,lots\n')).rejects.toThrow(/c\.csv, line 4: rating 'lots' in column 'rating' is not a finite number/);
  });

  it('refuses bad times, splits, weights, ids and column counts with file, line and value', async () => {
    await expect(read('d.csv', 'user,item,timestamp\nu,i,yesterday\n')).rejects.toThrow(/d\.csv, line 2: timestamp 'yesterday' in column 'timestamp' is neither a number of Unix seconds nor an ISO 8601 date/);
    await expect(read('e.csv', 'user,item,split\nu,i,holdout\n')).rejects.toThrow(/e\.csv, line 2: unknown split 'holdout' in column 'split': expected train, valid or test/);
    await expect(read('f.csv', 'user,item,weight\nu,i,-1\n')).rejects.toThrow(/f\.csv, line 2: weight '-1' is negative/);
    await expect(read('g.csv', 'user,item\nu,\n')).rejects.toThrow(/g\.csv, line 2: empty item id in column 'item'/);
    await expect(read('h.csv', 'user,item\nu,i,extra\n')).rejects.toThrow(/h\.csv, line 2: 3 columns, expected 2 as in the header/);
    await expect(read('i.csv', 'uid,item\nu,i\n')).rejects.toThrow(/i\.csv, line 1: no column 'user' for the user \(found 'uid', 'item'\): name it with --user-col/);
    await expect(read('j.csv', '')).rejects.toThrow(/j\.csv: the file is empty/);
  });

  it('tells the format from the extension or the flag, and refuses an unknown one', () => {
    expect(eventFormat('x.CSV')).toBe('csv');
    expect(eventFormat('x.inter')).toBe('tsv');
    expect(eventFormat('x.dat', 'parquet')).toBe('parquet');
    expect(() => eventFormat('x.json')).toThrow(/cannot tell the format from 'json'/);
  });
});
