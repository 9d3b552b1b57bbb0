// The popularity floor and rollback end to end: every run scores popularity on its splits, a version below it is
// kept but not made current (unless --force), `eior models list|use` and the useModelVersion mutation roll back.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiKey, type RunningApi } from '../../apps/api/src';
import { dropDataset, listModelRuns, type GraphClient } from '../../libs/graph/src';
import { gql, startTestApi } from '../helpers/api';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { ingestGenerated } from '../helpers/trained-dataset';

const NAME = `models-${process.pid}`;

interface TrainFigures {
  version: string;
  current: boolean;
  serving: string | null;
  metrics: { valid: Record<string, number> };
  popularity: { valid: Record<string, number>; test: Record<string, number> };
  floor: { lift: number | null; clears: boolean; value: number; popularity: number; interval: { low: number; high: number; level: number } | null };
  testLift: { lift: number | null; interval: { low: number; high: number; level: number } | null };
}

describe('the popularity floor and rollback', () => {
  let client: GraphClient;
  const tmp = tempDir('models');
  const home = path.join(tmp.dir, 'home');
  const env = { ...process.env, EIOR_HOME: home };
  const current = () => JSON.parse(readFileSync(path.join(home, 'models', NAME, 'current.json'), 'utf8')).version as string;
  // one epoch at a learning rate that moves nothing: a ranking close to random, far below popularity on Zipf data
  const untrained = ['train', '--dataset', NAME, '--model', 'ultragcn', '--epochs', '1', '--seed', '3', '--set', 'lr=1e-9', '--json'];

  beforeAll(async () => {
    client = await testGraph();
    await ingestGenerated(client, { name: NAME, dir: tmp.dir });
  });
  afterAll(async () => {
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('scores popularity in every run and makes popularity itself current (lift 0)', async () => {
    const run = await runCli(['train', '--dataset', NAME, '--model', 'popularity', '--json'], env);
    expect(run.code).toBe(0);
    const f = lastJsonLine(run.stdout) as unknown as TrainFigures;
    expect(f).toMatchObject({ version: 'v0001', current: true, serving: 'v0001', floor: { lift: 0, clears: true } });
    expect(f.popularity.valid).toEqual(f.metrics.valid);
    // popularity against itself: every resample's lift is 0
    expect(f.floor.interval).toMatchObject({ low: 0, high: 0, level: 0.95 });
    expect(current()).toBe('v0001');
  });

  it('keeps a version below popularity but does not make it current, and says so', async () => {
    const run = await runCli(untrained, env);
    expect(run.code).toBe(0);
    const f = lastJsonLine(run.stdout) as unknown as TrainFigures;
    expect(f.version).toBe('v0002');
    expect(f.floor.clears).toBe(false);
    expect(f.floor.value).toBeLessThan(f.floor.popularity);
    expect(f.floor.lift!).toBeLessThan(0);
    // the lift's interval over the validation users brackets the lift, and the test split has its own
    expect(f.floor.interval!.low).toBeLessThanOrEqual(f.floor.lift!);
    expect(f.floor.interval!.high).toBeGreaterThanOrEqual(f.floor.lift!);
    expect(f.floor.interval!.high).toBeLessThan(0); // far below popularity: the whole interval is
    expect(f.testLift.interval!.low).toBeLessThanOrEqual(f.testLift.lift!);
    expect(f).toMatchObject({ current: false, serving: 'v0001' });
    expect(current()).toBe('v0001');
    const human = await runCli(untrained.filter((a) => a !== '--json'), env);
    expect(human.stdout).toMatch(/version v0003 \(NOT current\)/);
    expect(human.stdout).toMatch(/v0003 is below popularity, so it was not made current: v0001 keeps serving/);
    expect(human.stdout).toMatch(/against popularity's 0\.\d{4} \(lift -\d+\.\d %, 95 % interval −\d+\.\d % to −\d+\.\d % over users\)/);
    const runs = await listModelRuns(client, NAME);
    expect(runs.map((r) => [r.version, r.current])).toEqual([['v0003', false], ['v0002', false], ['v0001', true]]);
    expect(runs[0].metrics.popularity!.valid['ndcg@20']).toBeCloseTo(f.floor.popularity, 12);
  });

  it('makes a below-popularity version current only with --force', async () => {
    const run = await runCli([...untrained, '--force'], env);
    expect(run.code).toBe(0);
    expect(lastJsonLine(run.stdout)).toMatchObject({ version: 'v0004', current: true, serving: 'v0004' });
    expect(current()).toBe('v0004');
  });

  it('lists the versions with their lift and rolls back with `eior models use`', async () => {
    const list = await runCli(['models', 'list', '--dataset', NAME, '--json'], env);
    expect(list.code).toBe(0);
    const versions = (lastJsonLine(list.stdout) as { versions: { version: string; model: string; current: boolean; liftOverPopularity: number | null }[] }).versions;
    expect(versions.map((v) => [v.version, v.model, v.current])).toEqual([
      ['v0004', 'ultragcn', true], ['v0003', 'ultragcn', false], ['v0002', 'ultragcn', false], ['v0001', 'popularity', false],
    ]);
    expect(versions[3].liftOverPopularity).toBe(0);
    expect(versions[0].liftOverPopularity!).toBeLessThan(0);

    const back = await runCli(['models', 'use', '--dataset', NAME, 'v0001'], env);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/popularity v0001 of '.*' is now current \(was v0004\)/);
    expect(current()).toBe('v0001');
    expect((await listModelRuns(client, NAME)).filter((r) => r.current).map((r) => r.version)).toEqual(['v0001']);

    const refused = await runCli(['models', 'use', '--dataset', NAME, 'v0002'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/ultragcn v0002 of '.*' is not made current: its validation NDCG@20 0\.\d{4}, \d+\.\d % below popularity's 0\.\d{4}/);
    expect(current()).toBe('v0001');
    const bad = await runCli(['models', 'use', '--dataset', NAME, '3'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/version "3" is not valid: expected v followed by 4 or more digits/);
    const missing = await runCli(['models', 'use', '--dataset', NAME, 'v0099'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/model version v0099 does not exist/);
    expect(current()).toBe('v0001');
  });

  describe('over the API', () => {
    let api: RunningApi;
    let key: string;
    const M = `mutation Use($d: String!, $v: String!, $f: Boolean) { useModelVersion(dataset: $d, version: $v, force: $f) { version current serving liftOverPopularity clearsPopularity } }`;
    beforeAll(async () => {
      key = (await createApiKey(path.join(home, 'api-keys.json'), 'tests')).key;
      api = await startTestApi(client, home, { modelPollMs: 0 });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('shows every version with its lift over popularity in `models`', async () => {
      const res = await gql<{ models: { version: string; liftOverPopularity: number | null; liftInterval: { low: number; high: number; level: number; resamples: number } | null; clearsPopularity: boolean | null; popularityValidMetrics: { name: string }[] }[] }>(
        api.url,
        'query($d: String!) { models(dataset: $d) { version liftOverPopularity liftInterval { low high level resamples } clearsPopularity popularityValidMetrics { name value } } }',
        { d: NAME },
      );
      expect(res.errors).toEqual([]);
      const byVersion = new Map(res.data!.models.map((m) => [m.version, m]));
      expect(byVersion.get('v0001')).toMatchObject({ liftOverPopularity: 0, clearsPopularity: true });
      expect(byVersion.get('v0002')!.clearsPopularity).toBe(false);
      expect(byVersion.get('v0001')!.liftInterval).toEqual({ low: 0, high: 0, level: 0.95, resamples: 2000 });
      const below = byVersion.get('v0002')!;
      expect(below.liftInterval!.low).toBeLessThanOrEqual(below.liftOverPopularity!);
      expect(below.liftInterval!.high).toBeLessThan(0);
      expect(byVersion.get('v0002')!.popularityValidMetrics.map((m) => m.name)).toContain('ndcg@20');
    });

    it('rolls back with useModelVersion: a key is needed, the floor holds unless forced, and serving swaps at once', async () => {
      const auth = { authorization: `Bearer ${key}` };
      const recs = `query($d: String!, $u: String!) { recommendations(dataset: $d, userId: $u, first: 3) { modelVersion } }`;
      expect((await gql<{ recommendations: { modelVersion: string } }>(api.url, recs, { d: NAME, u: '0' })).data!.recommendations.modelVersion).toBe('v0001');

      const anonymous = await gql(api.url, M, { d: NAME, v: 'v0004' });
      expect(anonymous.errors[0].extensions?.code).toBe('UNAUTHENTICATED');
      const refused = await gql(api.url, M, { d: NAME, v: 'v0004' }, auth);
      expect(refused.status).toBe(400);
      expect(refused.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors[0].message).toMatch(/below popularity's/);
      expect(current()).toBe('v0001');

      const forced = await gql<{ useModelVersion: { version: string; current: boolean; serving: boolean } }>(api.url, M, { d: NAME, v: 'v0004', f: true }, auth);
      expect(forced.errors).toEqual([]);
      expect(forced.data!.useModelVersion).toMatchObject({ version: 'v0004', current: true, serving: true });
      expect(current()).toBe('v0004');
      expect((await gql<{ recommendations: { modelVersion: string } }>(api.url, recs, { d: NAME, u: '0' })).data!.recommendations.modelVersion).toBe('v0004');

      const back = await gql<{ useModelVersion: { version: string; serving: boolean } }>(api.url, M, { d: NAME, v: 'v0001' }, auth);
      expect(back.data!.useModelVersion).toMatchObject({ version: 'v0001', serving: true });
      const bad = await gql(api.url, M, { d: NAME, v: '../v0001' }, auth);
      expect(bad.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});
