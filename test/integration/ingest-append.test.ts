// `eior ingest --append`: new events, users and items join an ingested dataset exactly once, also when the append
// is killed with SIGKILL at random points and started again (the graph then equals an uninterrupted append's).
import { appendEvents, dropDataset, ingestDataset, type GraphClient } from '../../libs/graph/src';
import { Prng } from '../../libs/graph/src/mmrec/prng';
import { lastJsonLine, runCli, startCli } from '../helpers/cli';
import { datasetDigest, testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const BASE = `append-${process.pid}`;
const CLEAN = `append-clean-${process.pid}`;
const KILLED = `append-killed-${process.pid}`;
const ONE_WRITER = `append-one-writer-${process.pid}`;
const FOUR_WRITERS = `append-four-writers-${process.pid}`;
const DAY = 86_400;
/** The bar is 20 (EIOR_APPEND_KILL_POINTS=20, about 10 minutes on 2 busy cores); npm test runs 5. */
const KILL_POINTS = Number(process.env.EIOR_APPEND_KILL_POINTS ?? 5);

describe('eior ingest --append', () => {
  let client: GraphClient;
  const tmp = tempDir('append');
  const names = [BASE, CLEAN, KILLED, ONE_WRITER, FOUR_WRITERS];

  beforeAll(async () => {
    client = await testGraph();
    for (const n of names) await dropDataset(client, n);
  });
  afterAll(async () => {
    for (const n of names) await dropDataset(client, n);
    tmp.remove();
    await client.close();
  });

  it('adds new users, items, pairs and repeats once, skips events already there, and changes the fingerprint', async () => {
    const base = tmp.write('base.csv', 'user,item,timestamp,rating\n' + [
      'a,x,1000,5', 'a,y,2000,4', 'a,z,3000,3', 'b,x,1500,2', 'b,y,2500,1', 'b,z,3500,5',
    ].join('\n') + '\n');
    tmp.write('visual.csv', 'item,f0,f1\nx,1,2\ny,3,4\nz,5,6\nw,7,8\n');
    const features = ['--features', `visual=${tmp.dir}/visual.csv`];
    expect((await runCli(['ingest', '--dataset', BASE, '--events', base, ...features])).code).toBe(0);
    const before = lastJsonLine((await runCli(['stats', '--dataset', BASE, '--json'])).stdout);
    expect(before).toMatchObject({ users: 2, items: 3, events: 6, repeats: 0, split: { made: 'temporal' }, interactions: { train: 2, valid: 2, test: 2 } });

    // a watches x again (a repeat), b's (b, z) line is one already ingested, c is new with a new item w
    // (features in visual.csv) and a new item v (no features: absent)
    const more = tmp.write('more.csv', 'user,item,timestamp,rating\na,x,90000,4\nb,z,3500,5\nc,w,5000,3\nc,v,6000,2\nc,x,7000,1\n');
    const run = await runCli(['ingest', '--dataset', BASE, '--events', more, '--append', ...features, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const appended = lastJsonLine(run.stdout);
    expect(appended).toMatchObject({ outcome: 'appended', events: 5, added: 4, duplicates: 1, newUsers: 1, newItems: 2, newPairs: 3, conflicts: 0 });
    expect(appended.fingerprint).not.toBe(appended.previousFingerprint);

    const after = lastJsonLine((await runCli(['stats', '--dataset', BASE, '--json'])).stdout);
    expect(after).toMatchObject({ users: 3, items: 5, events: 10, repeats: 1, interactions: { train: 5, valid: 2, test: 2, total: 9 } });
    expect(after.modalities).toEqual([{ name: 'visual', width: 2, dtype: 'float64', items: 4, absent: 1 }]);
    const ax = await client.read(async (tx) =>
      (await tx.run(`MATCH (:User {dataset: $d, id: 'a'})-[x:INTERACTED]->(:Item {id: 'x'}) RETURN properties(x) AS p`, { d: BASE })).records[0].get('p'),
    );
    expect(ax).toEqual({ split: 'train', timestamp: 1000, rating: 5, events: 2, weight: 2, eventTimes: [1000, 90000], eventRatings: [5, 4], eventSources: ['base.csv', 'more.csv'] });

    const again = lastJsonLine((await runCli(['ingest', '--dataset', BASE, '--events', more, '--append', ...features, '--json'])).stdout);
    expect(again).toMatchObject({ outcome: 'unchanged', fingerprint: appended.fingerprint });
  });

  it('writes the same graph and counts with one batch at a time as with four at once', async () => {
    const rng = new Prng(5);
    const line = (u: number, i: number, t: number) => `u${u},i${i},${t},${1 + rng.nextInt(5)}`;
    const baseLines = Array.from({ length: 1500 }, (_, k) => line(k % 200, (k * 7) % 300, 1_700_000_000 + k));
    // new users and items, re-watches of ingested pairs, repeats within the file and lines already ingested
    const moreLines = Array.from({ length: 3000 }, () => line(rng.nextInt(260), rng.nextInt(340), 1_800_000_000 + rng.nextInt(50)));
    moreLines.push(...baseLines.slice(0, 100));
    const base = tmp.write('wbase.csv', `user,item,timestamp,rating\n${baseLines.join('\n')}\n`);
    const more = tmp.write('wmore.csv', `user,item,timestamp,rating\n${moreLines.join('\n')}\n`);
    const results: Record<string, number>[] = [];
    for (const [name, writers] of [[ONE_WRITER, 1], [FOUR_WRITERS, 4]] as const) {
      await dropDataset(client, name);
      await ingestDataset(client, { dataset: name, events: { file: base } });
      const r = await appendEvents(client, { dataset: name, events: { file: more }, batchSize: 40, writers });
      results.push({ added: r.added, duplicates: r.duplicates, newPairs: r.newPairs, conflicts: r.conflicts, newUsers: r.newUsers, newItems: r.newItems });
    }
    expect(results[0].duplicates).toBeGreaterThanOrEqual(100);
    expect(results[0].newPairs).toBeLessThan(results[0].added);
    expect(results[1]).toEqual(results[0]);
    const one = await datasetDigest(client, ONE_WRITER);
    const four = await datasetDigest(client, FOUR_WRITERS);
    expect(four).toEqual(one);
  });

  it(`ends with the graph of an uninterrupted append after a kill -9 at ${KILL_POINTS} random points and a second run`, async () => {
    const rng = new Prng(99);
    const line = (u: number, i: number, t: number) => `u${u},i${i},${t},${1 + rng.nextInt(5)}`;
    const baseLines: string[] = [];
    for (let u = 0; u < 300; u++) for (let k = 0; k < 8; k++) baseLines.push(line(u, (u * 7 + k * 13) % 400, 1_700_000_000 + rng.nextInt(60 * DAY)));
    const moreLines: string[] = [];
    for (let k = 0; k < 6000; k++) moreLines.push(line(rng.nextInt(450), rng.nextInt(600), 1_700_000_000 + 60 * DAY + rng.nextInt(30 * DAY)));
    moreLines.push(...baseLines.slice(0, 200)); // already ingested: skipped every time
    const base = tmp.write('kbase.csv', `user,item,timestamp,rating\n${baseLines.join('\n')}\n`);
    const more = tmp.write('kmore.csv', `user,item,timestamp,rating\n${moreLines.join('\n')}\n`);
    const features = tmp.write('kvisual.csv', 'item,f0,f1,f2\n' + Array.from({ length: 600 }, (_, i) => `i${i},${i},${i % 7},${i % 3 === 0 ? '' : 1}`).filter((_, i) => i % 3 !== 0).join('\n') + '\n');
    const args = (name: string) => ['ingest', '--dataset', name, '--events', more, '--append', '--features', `visual=${features}`, '--batch-size', '100'];
    const fresh = async (name: string) => {
      await dropDataset(client, name);
      await ingestDataset(client, { dataset: name, events: { file: base, features: [{ modality: 'visual', file: features }] } });
    };

    await fresh(CLEAN);
    const progress = async (name: string): Promise<number> =>
      client.read(async (tx) =>
        (await tx.run(
          `CALL () { MATCH (u:User {dataset: $d}) RETURN count(u) AS users }
           CALL () { MATCH (i:Item {dataset: $d}) RETURN count(i) AS items }
           CALL () { MATCH (:User {dataset: $d})-[x:INTERACTED]->() RETURN count(x) AS pairs, sum(CASE WHEN 'kmore.csv' IN coalesce(x.eventSources, []) THEN 1 ELSE 0 END) AS merged }
           RETURN users + items + pairs + merged AS n`,
          { d: name },
        )).records[0].get('n') as number,
      );
    const before = await progress(CLEAN);
    expect((await runCli(args(CLEAN))).code).toBe(0);
    const work = (await progress(CLEAN)) - before;
    const expected = await datasetDigest(client, CLEAN);
    const counts = async (name: string) =>
      client.read(async (tx) =>
        (await tx.run('MATCH (d:Dataset {name: $d}) RETURN d {.users, .items, .train, .valid, .test, .events, .repeats, .fingerprint, .status} AS c', { d: name })).records[0].get('c'),
      );
    const expectedCounts = await counts(CLEAN);

    // each kill point: a random share of the append's writes (users, items, pairs, merged pairs) done
    let interrupted = 0;
    for (let point = 0; point < KILL_POINTS; point++) {
      await fresh(KILLED);
      const target = before + Math.max(1, Math.floor(rng.next() * work));
      const child = startCli(args(KILLED));
      let exited = false;
      const done = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
      while (!exited && (await progress(KILLED)) < target) await new Promise((r) => setTimeout(r, 10));
      if (!exited) {
        child.kill('SIGKILL');
        interrupted++;
      }
      await done;
      const second = await runCli(args(KILLED));
      expect(second.code).toBe(0);
      expect(await datasetDigest(client, KILLED)).toEqual(expected);
      expect(await counts(KILLED)).toEqual(expectedCounts);
    }
    expect(interrupted).toBeGreaterThanOrEqual(KILL_POINTS / 2);
  }, 120_000 * KILL_POINTS);
});
