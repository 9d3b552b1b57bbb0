// `eior ingest --events`: the 49,504-event log (repeats, times, ratings, an extra column, three keyed
// modalities) from CSV and from Parquet without hand edits, the split made for it, and the messages of bad input.
import { dropDataset, exportTrainingData, type GraphClient } from '../../libs/graph/src';
import { writeEventLog, LOG_EVENTS, LOG_REPEATS, LOG_USERS, type EventLog } from '../helpers/event-log';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const CSV = `events-csv-${process.pid}`;
const PARQUET = `events-pq-${process.pid}`;
const SMALL = `events-small-${process.pid}`;
const COLUMNS = ['--user-col', 'user_id', '--item-col', 'video_id', '--timestamp-col', 'watched_at', '--rating-col', 'stars'];
// 16 or 17 pairs per user: round(10%) = 2 held out for valid and 2 for test from each of the 3,000 users.
const PAIRS = LOG_EVENTS - LOG_REPEATS;
const SPLITS = { train: PAIRS - 12_000, valid: 6000, test: 6000, total: PAIRS };

describe('eior ingest --events', () => {
  let client: GraphClient;
  let log: EventLog;
  const tmp = tempDir('events');

  beforeAll(async () => {
    client = await testGraph();
    for (const name of [CSV, PARQUET, SMALL]) await dropDataset(client, name);
    log = await writeEventLog();
  });
  afterAll(async () => {
    for (const name of [CSV, PARQUET, SMALL]) await dropDataset(client, name);
    log.remove();
    tmp.remove();
    await client.close();
  });

  it('ingests the CSV log with its repeats and makes a temporal split, without hand edits', async () => {
    const run = await runCli(['ingest', '--dataset', CSV, '--events', log.csv, ...COLUMNS, ...log.featureFlags, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lastJsonLine(run.stdout)).toMatchObject({
      users: LOG_USERS,
      items: log.items,
      events: LOG_EVENTS,
      repeats: LOG_REPEATS,
      interactions: SPLITS,
      split: { made: 'temporal' },
    });

    const text = (await runCli(['stats', '--dataset', CSV])).stdout;
    expect(text).toMatch(/events {7}49504 \(217 repeat a pair; policy first\)/);
    expect(text).toMatch(/split {8}made at ingest: temporal per user/);
    const stats = lastJsonLine((await runCli(['stats', '--dataset', CSV, '--json'])).stdout);
    expect(stats).toMatchObject({ events: LOG_EVENTS, repeats: LOG_REPEATS, split: { made: 'temporal' }, interactions: SPLITS });
    expect(stats.modalities).toEqual([
      { name: 'acoustic', width: 12, dtype: 'float64', items: log.items - log.absent.acoustic, absent: log.absent.acoustic },
      { name: 'textual', width: 48, dtype: 'float64', items: log.items - log.absent.textual, absent: log.absent.textual },
      { name: 'visual', width: 32, dtype: 'float16', items: log.items - log.absent.visual, absent: log.absent.visual },
    ]);
  });

  it('keeps every event of a repeated pair, earliest first, and the pair in one split only', async () => {
    const repeated = await client.read(async (tx) =>
      (await tx.run(
        `MATCH (:User {dataset: $dataset})-[x:INTERACTED]->() WHERE x.events IS NOT NULL
         RETURN x.events AS events, x.eventTimes AS times, x.timestamp AS t, x.eventRatings AS ratings, x.eventSources AS sources`,
        { dataset: CSV },
      )).records.map((r) => r.toObject()),
    );
    expect(repeated).toHaveLength(LOG_REPEATS);
    for (const r of repeated) {
      expect(r.events).toBe(2);
      expect(r.times[1] - r.times[0]).toBeGreaterThanOrEqual(30 * 86_400);
      expect(r.t).toBe(r.times[0]);
      expect(r.sources).toEqual(['events.csv', 'events.csv']);
    }
    const exported = await exportTrainingData(client, CSV);
    const keys = (split: 'train' | 'valid' | 'test') => new Set(Array.from(exported[split].users, (u, k) => u * exported.numItems + exported[split].items[k]));
    const train = keys('train');
    expect(train.size).toBe(SPLITS.train);
    for (const split of ['valid', 'test'] as const) for (const key of keys(split)) expect(train.has(key)).toBe(false);
    const visual = exported.features.find((f) => f.modality === 'visual')!;
    expect(visual.present!.reduce((a, b) => a + b, 0)).toBe(log.items - log.absent.visual);
    const absentRow = visual.present!.indexOf(0);
    expect(Array.from(visual.data.subarray(absentRow * 32, absentRow * 32 + 32)).every((v) => v === 0)).toBe(true);
  });

  it('reads the same log from Parquet into the same counts', async () => {
    const run = await runCli(['ingest', '--dataset', PARQUET, '--events', log.parquet, ...COLUMNS, ...log.featureFlags, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const a = lastJsonLine((await runCli(['stats', '--dataset', CSV, '--json'])).stdout);
    const b = lastJsonLine((await runCli(['stats', '--dataset', PARQUET, '--json'])).stdout);
    expect({ ...b, dataset: CSV }).toEqual(a);
  });

  it('prints the rule that resolves conflicting split labels, with counts', async () => {
    const file = tmp.write('small.tsv', 'user\titem\tsplit\textra\na\tx\ttest\t1\nb\ty\ttrain\t1\na\tx\ttrain\t1\nb\tx\tvalid\t1\n');
    const run = await runCli(['ingest', '--dataset', SMALL, '--events', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 pairs had events in more than one split: a pair whose events carry different split labels takes the label of its earliest event \(to train 0, valid 0, test 1\)/);
    expect(run.stdout).toMatch(/split {8}from the input's split column/);
  });

  it('refuses bad values naming file, line and value, and writes nothing', async () => {
    const bad = tmp.write('bad.csv', 'user,item,rating\na,x,5\nb,y,great\n');
    const run = await runCli(['ingest', '--dataset', `${SMALL}-bad`, '--events', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.csv, line 3: rating 'great' in column 'rating' is not a finite number/);
    const missing = await runCli(['ingest', '--dataset', `${SMALL}-bad`, '--events', bad, '--timestamp-col', 'when']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/bad\.csv, line 1: no column 'when' for the timestamp \(found 'user', 'item', 'rating'\)/);
    const stats = await runCli(['stats', '--dataset', `${SMALL}-bad`]);
    expect(stats.stderr).toMatch(/is not in the graph/);
  });
});
