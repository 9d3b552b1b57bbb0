// `eior tune` end to end on a real Neo4j: Hyperband trials recorded in the graph, a killed tuning resumed without
// repeating finished trials, the best settings trained and then used by `eior train` on the same data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dropDataset, listTrials, listTunings, type GraphClient } from '../../libs/graph/src';
import { lastJsonLine, runCli, startCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { ingestGenerated } from '../helpers/trained-dataset';

const NAME = `tune-${process.pid}`;

interface TuneFigures {
  tuning: string;
  ended: string;
  trials: { run: number; resumed: number; failed: number };
  best: { trial: string; score: number; settings: Record<string, number> } | null;
  training: { version: string; current: boolean } | null;
  version: string | null;
}

describe('eior tune', () => {
  let client: GraphClient;
  const tmp = tempDir('tune');
  const env = { ...process.env, EIOR_HOME: path.join(tmp.dir, 'home') };
  // ID-only UltraGCN, trials of 1 and 3 epochs: Hyperband R 3 has brackets 3x1 1x3 and 2x3 (6 trials)
  const tune = (...extra: string[]) => ['tune', '--dataset', NAME, '--model', 'ultragcn', '--max-epochs', '3', '--seed', '4', '--json', ...extra];

  beforeAll(async () => {
    client = await testGraph();
    await ingestGenerated(client, { name: NAME, dir: tmp.dir });
  });
  afterAll(async () => {
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('refuses a bad budget, a bad trial count and popularity, naming them', async () => {
    const budget = await runCli(tune('--budget', '5x'), env);
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(/--budget "5x" is not valid: expected a duration from 1s to .*e\.g\. 90s, 20m or 1h30m/);
    const trials = await runCli(tune('--trials', '0'), env);
    expect(trials.code).toBe(2);
    expect(trials.stderr).toMatch(/--trials "0" is not valid: expected an integer from 1 to 100000/);
    const pop = await runCli(['tune', '--dataset', NAME, '--model', 'popularity'], env);
    expect(pop.code).toBe(2);
    expect(pop.stderr).toMatch(/--model popularity has no settings to tune/);
    expect(await listTunings(client, NAME)).toEqual([]);
  });

  it('records each trial in the graph, resumes after kill -9 without repeating finished trials, and trains the best', async () => {
    // kill -9 once two trials are recorded
    const child = startCli(tune(), env);
    let tuning: string | null = null;
    for (let waited = 0; waited < 240_000; waited += 200) {
      const t = (await listTunings(client, NAME))[0];
      if (t && (await listTrials(client, NAME, t.id)).length >= 2) {
        tuning = t.id;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(tuning).not.toBeNull();
    const before = await listTrials(client, NAME, tuning!);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect((await listTunings(client, NAME))[0].status).toBe('running');

    const run = await runCli(tune(), env);
    expect(run.code).toBe(0);
    const f = lastJsonLine(run.stdout) as unknown as TuneFigures;
    expect(f.tuning).toBe(tuning);
    expect(f.ended).toBe('complete');
    expect(f.trials.resumed).toBe(before.length);
    expect(f.trials.run + f.trials.resumed).toBe(6);
    const after = await listTrials(client, NAME, tuning!);
    expect(after.map((t) => t.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(after.map((t) => t.id)).size).toBe(6);
    expect(after.slice(0, before.length)).toEqual(before); // finished trials kept as they were
    expect(after.map((t) => t.epochs)).toEqual([1, 1, 1, 3, 3, 3]);
    for (const t of after) {
      expect(t.status).toBe('finished');
      expect(t.curve.length).toBeGreaterThan(0);
      expect(Object.keys(t.settings).sort()).toEqual(['gamma', 'lambda', 'lr', 'negativeNum', 'negativeWeight', 'popularityInit', 'softmaxTemperature', 'userHistoryLeaveOneOut', 'userHistoryWeight']);
    }
    const best = Math.max(...after.map((t) => t.score!));
    expect(f.best!.score).toBe(best);
    expect(f.training!.version).toBe('v0001');
    const [summary] = await listTunings(client, NAME);
    expect(summary).toMatchObject({ id: tuning, status: 'complete', bestScore: best, version: 'v0001', bestSettings: f.best!.settings });
  });

  it('makes `eior train` start from the tuned settings on this data, under its own --set', async () => {
    const { settings } = (lastJsonLine((await runCli(tune(), env)).stdout) as unknown as TuneFigures).best!;
    const run = await runCli(['train', '--dataset', NAME, '--model', 'ultragcn', '--epochs', '2', '--set', 'gamma=0.003', '--force', '--json'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/starting from the settings tuning t[0-9a-f]{10} found on this data/);
    const { artifact } = lastJsonLine(run.stdout) as { artifact: string };
    const manifest = JSON.parse(readFileSync(path.join(artifact, 'manifest.json'), 'utf8'));
    expect(manifest.config).toMatchObject({ ...settings, gamma: 0.003, epochs: 2 });
    // ultragcn-features has no tuning on this data: the preset as it is
    const features = await runCli(['train', '--dataset', NAME, '--model', 'ultragcn-features', '--epochs', '1', '--force'], env);
    expect(features.stderr).not.toMatch(/starting from the settings tuning/);
  });

  it('stops at the budget, and a rerun that finds the same best trains nothing new', async () => {
    // R 9 (22 trials, 78 epochs): more than a second of training on any machine
    const run = await runCli(tune('--seed', '9', '--max-epochs', '9', '--budget', '1s'), env);
    expect(run.code).toBe(0);
    const f = lastJsonLine(run.stdout) as unknown as TuneFigures;
    expect(f.ended).toBe('budget');
    expect(f.trials.run).toBeGreaterThanOrEqual(1);
    // the rerun finds the budget spent (trials cut by it included): it trains nothing
    const again = lastJsonLine((await runCli(tune('--seed', '9', '--max-epochs', '9', '--budget', '1s'), env)).stdout) as unknown as TuneFigures;
    expect(again.trials.run).toBe(0);
    expect(again.tuning).toBe(f.tuning);
    // the same best trial: its version is reported, not trained a second time
    expect(again.training).toBeNull();
    expect(again.version).toBe(f.version);
  });
});
