// `eior train` end to end: export from a real Neo4j, train, artifacts on disk, the run in the graph.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dropDataset, generateDataset, ingestDataset, listModelRuns, type GraphClient } from '../../libs/graph/src';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const NAME = `train-${process.pid}`;

describe('eior train', () => {
  let client: GraphClient;
  const tmp = tempDir('train');
  const env = { ...process.env, EIOR_HOME: path.join(tmp.dir, 'home') };

  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, NAME);
    const dir = path.join(tmp.dir, 'data');
    await generateDataset(dir, { users: 300, items: 150, interactions: 6000, seed: 3 });
    await ingestDataset(client, { dataset: NAME, dir });
  });
  afterAll(async () => {
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  // three epochs do not clear popularity: --force makes them current (the floor itself: models.test.ts)
  it('trains from the graph, writes a verified version, makes it current and records the run', async () => {
    const run = await runCli(['train', '--dataset', NAME, '--model', 'ultragcn-features', '--epochs', '3', '--seed', '7', '--force', '--json'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/backend (wasm|cpu|node|node-gpu)/);
    const figures = lastJsonLine(run.stdout) as { version: string; artifact: string; metrics: { test: Record<string, number> }; epochs: number };
    expect(figures.version).toBe('v0001');
    expect(figures.epochs).toBeLessThanOrEqual(3);
    for (const key of ['recall@10', 'recall@20', 'ndcg@10', 'ndcg@20', 'precision@20', 'hit@20']) {
      expect(figures.metrics.test[key]).toBeGreaterThanOrEqual(0);
      expect(figures.metrics.test[key]).toBeLessThanOrEqual(1);
    }
    const manifest = JSON.parse(readFileSync(path.join(figures.artifact, 'manifest.json'), 'utf8'));
    expect(manifest.weights.map((w: { name: string }) => w.name).sort()).toEqual(['W', 'b', 'itemId', 'user']);
    expect(manifest.dataset).toMatchObject({ name: NAME, numUsers: 300, numItems: 150 });
    expect(JSON.parse(readFileSync(path.join(env.EIOR_HOME, 'models', NAME, 'current.json'), 'utf8'))).toEqual({ version: 'v0001' });

    const runs = await listModelRuns(client, NAME);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ version: 'v0001', model: 'ultragcn-features', current: true });
    expect(runs[0].metrics.test['recall@20']).toBeCloseTo(figures.metrics.test['recall@20'], 10);
    expect(runs[0].curve.length).toBe(figures.epochs);
  });

  it('gives the same figures for the same seed, config and backend, in a new version that becomes current', async () => {
    const args = ['train', '--dataset', NAME, '--model', 'ultragcn-features', '--epochs', '3', '--seed', '7', '--force', '--json'];
    const again = lastJsonLine((await runCli(args, env)).stdout) as { version: string; metrics: unknown };
    const first = JSON.parse(readFileSync(path.join(env.EIOR_HOME!, 'models', NAME, 'versions', 'v0001', 'manifest.json'), 'utf8'));
    expect(again.version).toBe('v0002');
    expect(again.metrics).toEqual({ valid: first.metrics.valid, test: first.metrics.test });
    const runs = await listModelRuns(client, NAME);
    expect(runs.map((r) => [r.version, r.current])).toEqual([['v0002', true], ['v0001', false]]);
  });

  it('trains the popularity baseline, keeps the served version when asked to replace it only by a better one, and refuses an unknown model or dataset with exit code 2', async () => {
    const pop = await runCli(['train', '--dataset', NAME, '--model', 'popularity', '--json'], env);
    expect(pop.code).toBe(0);
    expect(existsSync(path.join(env.EIOR_HOME!, 'models', NAME, 'versions', 'v0003', 'popularity.f32'))).toBe(true);
    // the same figures again do not beat the served version: with --only-if-better it keeps serving
    const same = await runCli(['train', '--dataset', NAME, '--model', 'popularity', '--only-if-better', '--json'], env);
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/kept v0003 current: its validation NDCG@20 0\.\d{4} is at least v0004's 0\.\d{4}/);
    expect(lastJsonLine(same.stdout)).toMatchObject({ version: 'v0004', current: false, serving: 'v0003' });
    expect(JSON.parse(readFileSync(path.join(env.EIOR_HOME!, 'models', NAME, 'current.json'), 'utf8'))).toEqual({ version: 'v0003' });
    const bad = await runCli(['train', '--dataset', NAME, '--model', 'lightgcn'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--model "lightgcn" is not a model: expected one of popularity, ultragcn, ultragcn-features/);
    const missing = await runCli(['train', '--dataset', 'no-such-dataset', '--model', 'popularity'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/dataset 'no-such-dataset' is not in the graph/);
  });
});
