// A model version's "trained on" cut-off after `eior ingest --append`: every version records the dataset's
// fingerprint, events and appends; one trained before an append is listed as predating the new events (CLI, API),
// keeps serving the users and items it knows (without recommending what they met since), refuses the newcomers by
// name, and may still be rolled back to.
import path from 'node:path';
import type { RunningApi } from '../../apps/api/src';
import { dropDataset, type GraphClient } from '../../libs/graph/src';
import { gql, startTestApi } from '../helpers/api';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const NAME = `trained-on-${process.pid}`;
const T0 = 1_700_000_000;

interface Listed {
  version: string;
  current: boolean;
  trainedOn: { state: string; events: number; appends: number; newEvents: number | null; newAppends: number | null; fingerprint: string } | null;
}

const RECS = `query($d: String!, $u: String!) { recommendations(dataset: $d, userId: $u, first: 20) { modelVersion edges { node { item { id } } } } }`;

describe('the data a model version was trained on', () => {
  let client: GraphClient;
  const tmp = tempDir('trained-on');
  const home = path.join(tmp.dir, 'home');
  const env = { ...process.env, EIOR_HOME: home };
  const list = async (): Promise<Listed[]> => {
    const run = await runCli(['models', 'list', '--dataset', NAME, '--json'], env);
    expect(run.code).toBe(0);
    return (lastJsonLine(run.stdout) as unknown as { versions: Listed[] }).versions;
  };
  const recommended = async (api: RunningApi, user: string) => {
    const res = await gql<{ recommendations: { modelVersion: string; edges: { node: { item: { id: string } } }[] } }>(api.url, RECS, { d: NAME, u: user });
    expect(res.errors).toEqual([]);
    return { version: res.data!.recommendations.modelVersion, items: res.data!.recommendations.edges.map((e) => e.node.item.id) };
  };

  const lines: string[] = [];
  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, NAME);
    // 40 users with 10 of 30 items each
    for (let u = 0; u < 40; u++) {
      const seen = new Set<number>();
      for (let k = 0; seen.size < 10; k++) seen.add((u * 7 + k * k * 3 + k) % 30);
      [...seen].forEach((i, k) => lines.push(`u${u},i${i},${T0 + u * 100 + k}`));
    }
    tmp.write('base.csv', `user,item,timestamp\n${lines.join('\n')}\n`);
    expect((await runCli(['ingest', '--dataset', NAME, '--events', path.join(tmp.dir, 'base.csv')], env)).code).toBe(0);
    expect((await runCli(['train', '--dataset', NAME, '--model', 'popularity', '--json'], env)).code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('records the fingerprint, events and appends a version was trained on', async () => {
    const [v1] = await list();
    expect(v1).toMatchObject({ version: 'v0001', current: true, trainedOn: { state: 'current', events: 400, appends: 0, newEvents: 0, newAppends: 0 } });
    const stats = lastJsonLine((await runCli(['stats', '--dataset', NAME, '--json'], env)).stdout);
    expect(stats.events).toBe(400);
  });

  it('after an append, lists the version as predating the new events and keeps serving it to the users it knows', async () => {
    let api = await startTestApi(client, home, { modelPollMs: 0 });
    const before = await recommended(api, 'u0');
    await api.close();
    expect(before.version).toBe('v0001');
    const top = before.items[0];

    // u0 watches its top recommendation, u1 a new item, a new user two old items
    const [a, b] = lines.filter((l) => l.startsWith('u2,')).map((l) => l.split(',')[1]);
    tmp.write('more.csv', `user,item,timestamp\nu0,${top},${T0 + 90_000}\nu1,fresh,${T0 + 90_001}\nnewbie,${a},${T0 + 90_002}\nnewbie,${b},${T0 + 90_003}\n`);
    const appended = await runCli(['ingest', '--dataset', NAME, '--events', path.join(tmp.dir, 'more.csv'), '--append', '--json'], env);
    expect(appended.code).toBe(0);
    expect(lastJsonLine(appended.stdout)).toMatchObject({ added: 4, newUsers: 1, newItems: 1 });

    const [v1] = await list();
    expect(v1.trainedOn).toMatchObject({ state: 'predates-appends', events: 400, appends: 0, newEvents: 4, newAppends: 1 });
    const human = await runCli(['models', 'list', '--dataset', NAME], env);
    expect(human.stdout).toMatch(/v0001 +popularity .* yes +predates 4 new events \(1 append\)/);
    expect(human.stdout).toMatch(/still serves the users and items it was trained on/);

    api = await startTestApi(client, home, { modelPollMs: 0 });
    try {
      const after = await recommended(api, 'u0');
      expect(after.version).toBe('v0001');
      const models = await gql<{ models: { version: string; serving: boolean; trainedOn: { state: string; newEvents: number; summary: string } }[] }>(
        api.url,
        'query($d: String!) { models(dataset: $d) { version serving trainedOn { state newEvents newAppends events summary } } }',
        { d: NAME },
      );
      expect(models.errors).toEqual([]);
      expect(models.data!.models[0]).toMatchObject({ version: 'v0001', serving: true, trainedOn: { state: 'PREDATES_APPENDS', newEvents: 4 } });
      expect(models.data!.models[0].trainedOn.summary).toMatch(/^predates 4 new events \(1 append since it was trained on 400 events\)/);
      // what u0 watched since is not recommended again; the item that joined later is not known to v0001
      expect(before.items).toContain(top);
      expect(after.items).not.toContain(top);
      expect(after.items.slice(0, before.items.length - 1)).toEqual(before.items.filter((i) => i !== top));
      expect((await recommended(api, 'u1')).items).not.toContain('fresh');
      const newcomer = await gql(api.url, RECS, { d: NAME, u: 'newbie' });
      expect(newcomer.errors[0].extensions?.code).toBe('NOT_FOUND');
      expect(newcomer.errors[0].message).toMatch(/user "newbie" joined dataset '.*' after popularity v0001 was trained \(it predates 1 append\): train a new version/);
    } finally {
      await api.close();
    }
    // `eior explain` loads the same way: the users v0001 knows, and the newcomer refused by name
    expect((await runCli(['explain', '--dataset', NAME, '--user', 'u0', '--json'], env)).code).toBe(0);
    const newcomer = await runCli(['explain', '--dataset', NAME, '--user', 'newbie'], env);
    expect(newcomer.code).toBe(2);
    expect(newcomer.stderr).toMatch(/user "newbie" joined dataset '.*' after popularity v0001 was trained \(it predates 1 append\)/);
  }, 300_000);

  it('a new version is trained on all the data; the old one may still be rolled back to', async () => {
    expect((await runCli(['train', '--dataset', NAME, '--model', 'popularity', '--json'], env)).code).toBe(0);
    const [v2, v1] = await list();
    expect(v2).toMatchObject({ version: 'v0002', current: true, trainedOn: { state: 'current', events: 404, appends: 1, newEvents: 0 } });
    expect(v1.trainedOn).toMatchObject({ state: 'predates-appends', newEvents: 4 });
    expect(v1.trainedOn!.fingerprint).not.toBe(v2.trainedOn!.fingerprint);
    const back = await runCli(['models', 'use', '--dataset', NAME, 'v0001'], env);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    const api = await startTestApi(client, home, { modelPollMs: 0 });
    try {
      expect((await recommended(api, 'u3')).version).toBe('v0001');
    } finally {
      await api.close();
    }
  }, 300_000);
});
