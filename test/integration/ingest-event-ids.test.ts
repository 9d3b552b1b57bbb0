// `--event-id-col`: events that carry their own ids are told apart by them, not by their content. An append skips an
// event whose id its pair already holds (even with a corrected rating), keeps two events of equal content under
// two ids, and an id twice in one file is one event, or refused when the two lines differ.
import path from 'node:path';
import { dropDataset, type GraphClient } from '../../libs/graph/src';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const NAME = `event-ids-${process.pid}`;
const BAD = `event-ids-bad-${process.pid}`;
const ID = ['--event-id-col', 'event_id'];

describe('ingest with --event-id-col', () => {
  let client: GraphClient;
  const tmp = tempDir('event-ids');
  const file = (name: string, lines: string[]) => tmp.write(name, `event_id,user,item,timestamp,rating\n${lines.join('\n')}\n`);
  const pair = async (user: string, item: string) =>
    client.read(async (tx) =>
      (await tx.run(`MATCH (:User {dataset: $d, id: $u})-[x:INTERACTED]->(:Item {id: $i}) RETURN properties(x) AS p`, { d: NAME, u: user, i: item })).records[0]?.get('p') as Record<string, unknown>,
    );
  const append = async (f: string) => {
    const run = await runCli(['ingest', '--dataset', NAME, '--events', f, '--append', ...ID, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return lastJsonLine(run.stdout);
  };

  beforeAll(async () => {
    client = await testGraph();
    for (const n of [NAME, BAD]) await dropDataset(client, n);
  });
  afterAll(async () => {
    for (const n of [NAME, BAD]) await dropDataset(client, n);
    await client.close();
    tmp.remove();
  });

  it('reads an id repeated with the same event once, and stores every event id on its pair', async () => {
    const base = file('base.csv', ['e1,a,x,1000,5', 'e2,a,y,2000,4', 'e3,b,x,1500,2', 'e4,b,y,2500,1', 'e1,a,x,1000,5', 'e5,c,x,1000,3', 'e6,c,y,1100,3', 'e7,c,z,1200,3']);
    const run = await runCli(['ingest', '--dataset', NAME, '--events', base, ...ID, '--json']);
    expect(run.code).toBe(0);
    expect(lastJsonLine(run.stdout)).toMatchObject({ events: 7, repeats: 0, repeatedIds: 1, interactions: { total: 7 } });
    expect(await pair('a', 'x')).toEqual({ split: expect.any(String), timestamp: 1000, rating: 5, eventIds: ['e1'] });
  });

  it('skips on append an event whose id its pair holds, and keeps an event of equal content under a new id', async () => {
    // e1 again with a corrected rating: the same event (by id); e8: e1's content under another id: a new event
    const more = file('more.csv', ['e1,a,x,1000,4', 'e8,a,x,1000,5', 'e9,b,z,3000,2', 'e9,b,z,3000,2']);
    expect(await append(more)).toMatchObject({ outcome: 'appended', events: 4, added: 2, duplicates: 2, newPairs: 1 });
    expect(await pair('a', 'x')).toMatchObject({ timestamp: 1000, rating: 5, events: 2, weight: 2, eventIds: ['e1', 'e8'], eventRatings: [5, 5] });
    expect(await pair('b', 'z')).toMatchObject({ timestamp: 3000, rating: 2, eventIds: ['e9'] });
    expect(await append(more)).toMatchObject({ outcome: 'unchanged' });
    // another file with e8 in it: exactly once by id across files
    const third = file('third.csv', ['e8,a,x,1000,5', 'e10,a,x,4000,1']);
    expect(await append(third)).toMatchObject({ outcome: 'appended', events: 2, added: 1, duplicates: 1, newPairs: 0 });
    expect(await pair('a', 'x')).toMatchObject({ events: 3, eventIds: ['e1', 'e8', 'e10'], eventTimes: [1000, 1000, 4000] });
    const stats = lastJsonLine((await runCli(['stats', '--dataset', NAME, '--json'])).stdout);
    expect(stats).toMatchObject({ events: 10, repeats: 2, interactions: { total: 8 } });
  });

  it('refuses an id given to two different events, and an id column that is not there, writing nothing', async () => {
    const clash = file('clash.csv', ['e1,a,x,1000,5', 'e1,b,x,1000,5']);
    const run = await runCli(['ingest', '--dataset', BAD, '--events', clash, ...ID]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/clash\.csv, line 3: event id 'e1' in column 'event_id' is already the id of the file's event 1, which has another user, item, time, rating, weight or split/);
    const missing = await runCli(['ingest', '--dataset', BAD, '--events', path.join(tmp.dir, 'base.csv'), '--event-id-col', 'id']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/base\.csv, line 1: no column 'id' for the event id \(found 'event_id', 'user', 'item', 'timestamp', 'rating'\): name it with --event-id-col/);
    expect((await runCli(['stats', '--dataset', BAD])).stderr).toMatch(/is not in the graph/);
  });
});
