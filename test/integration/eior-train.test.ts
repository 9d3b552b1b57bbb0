// `eior train --model eior` and `eior explain` end to end on a small generated dataset in a real Neo4j: the
// staged pipeline with tiny budgets, the artifact's extra weights, the run's environments in the graph (idempotent
// writes), the version's explanation health (stored with it and served by the API), and explanations whose parts
// add up.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  dropDataset, exportTrainingData, generateDataset, ingestDataset, listModelRuns, readEnvironments, writeEnvironments,
  type GraphClient, type TrainingExport,
} from '../../libs/graph/src';
import { ArtifactStore } from '../../libs/model/src/artifacts';
import { binarizeMask, type ExplanationHealth } from '../../libs/model/src';
import { gql, startTestApi } from '../helpers/api';
import { lastJsonLine, runCli } from '../helpers/cli';
import { environmentDigest, testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const NAME = `eior-${process.pid}`;
const TINY = 'environments.source=inferred,environments.numEnvironments=3,environments.epochs=1,environments.maxRounds=1,mask.epochs=2,mask.alternations=1,fusion.epochs=2';

interface BranchJson {
  score: number;
  id: number;
  bias: number;
  modalities: { modality: string; contribution: number }[];
}
interface ItemJson {
  item: string;
  seen: boolean;
  rating: number;
  invariantWeight: number;
  variantWeight: number;
  invariant: BranchJson;
  variant: BranchJson;
  becauseYouWatched: { item: string; similarity: number; kind: string }[];
}

describe('eior train --model eior and eior explain', () => {
  let client: GraphClient;
  let data: TrainingExport;
  let version: string;
  let userEnvironment: Float32Array;
  const tmp = tempDir('eior');
  const env = { ...process.env, EIOR_HOME: path.join(tmp.dir, 'home') };
  const root = path.join(env.EIOR_HOME, 'models', NAME);

  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, NAME);
    const dir = path.join(tmp.dir, 'data');
    await generateDataset(dir, { users: 300, items: 150, interactions: 6000, seed: 3 });
    await ingestDataset(client, { dataset: NAME, dir });
    data = await exportTrainingData(client, NAME);
  });
  afterAll(async () => {
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('trains in three stages and keeps the mask and the environments in the artifact', async () => {
    const run = await runCli(['train', '--dataset', NAME, '--model', 'eior', '--epochs', '2', '--seed', '5', '--eior-set', TINY, '--force', '--json'], env);
    expect(run.code).toBe(0);
    for (const line of [/stage 1\/3 backbone/, /stage 2\/3 invariance: inferred environments \(E = 3\)/, /mask: user taste, epoch 5/, /environments: alternation 1, round 1/, /mask: alternation 1, epoch 2/, /stage 3\/3 final: EIOR/]) {
      expect(run.stderr).toMatch(line);
    }
    const figures = lastJsonLine(run.stdout) as {
      version: string;
      model: string;
      seconds: Record<string, number>;
      metrics: { test: Record<string, number> };
      environments: { source: string; count: number; sizes: number[] };
      artifact: string;
    };
    version = figures.version;
    expect(figures.model).toBe('eior');
    for (const stage of ['export', 'backbone', 'invariance', 'final', 'train', 'total']) expect(figures.seconds[stage]).toBeGreaterThan(0);
    expect(figures.seconds.backbone + figures.seconds.invariance + figures.seconds.final).toBeLessThanOrEqual(figures.seconds.train);
    expect(figures.metrics.test['ndcg@20']).toBeGreaterThan(0);
    expect(figures.environments).toMatchObject({ source: 'inferred', count: 3 });

    const { manifest, weights } = await new ArtifactStore(root).load();
    expect(manifest.version).toBe(version);
    const columns = data.features.reduce((a, f) => a + f.width, 0);
    expect(weights.get('mask')!.length).toBe(columns);
    const assignment = weights.get('environments')!;
    expect(assignment.length).toBe(data.train.users.length);
    expect(new Set(assignment)).toEqual(new Set([0, 1, 2]));
    userEnvironment = weights.get('userEnvironment')!;
    expect(userEnvironment.length).toBe(data.numUsers);
    expect(manifest.config).toMatchObject({ backbone: { epochs: 2, seed: 5, useFeatures: true }, eior: { mask: { epochs: 2 }, fusion: { epochs: 2 } } });
    const extra = manifest.extra as {
      stages: { stage: string }[];
      environments: { sizes: number[]; rounds: number[] };
      mask: { columns: number; kept: number };
      backbone: { pretrain?: { bestEpoch: number; epochs: number; valid: Record<string, number> } };
    };
    expect(extra.stages.map((s) => s.stage)).toEqual(['backbone', 'invariance', 'final']);
    // the preset's backbone starts from an ID-only run (idPretrain), recorded beside the backbone's own figures
    expect(manifest.config).toMatchObject({ backbone: { idPretrain: true } });
    expect(extra.backbone.pretrain).toMatchObject({ epochs: 2 });
    expect(extra.backbone.pretrain!.valid['ndcg@20']).toBeGreaterThan(0);
    expect(extra.environments.sizes).toEqual(figures.environments.sizes);
    expect(extra.environments.sizes.reduce((a, b) => a + b, 0)).toBe(data.train.users.length);
    expect(extra.environments.rounds).toEqual([1]);
    expect(extra.mask.columns).toBe(columns);
    expect(extra.mask.kept).toBeCloseTo(Array.from(weights.get('mask')!).filter((m) => m > 0.5).length / columns, 12);

    const runs = await listModelRuns(client, NAME);
    expect(runs.map((r) => [r.version, r.model, r.current])).toEqual([[version, 'eior', true]]);
  });

  it('stores the explanation health with the version and in its run, and the API serves it', async () => {
    const { manifest, weights } = await new ArtifactStore(root).load();
    const health = manifest.health as ExplanationHealth;
    // 64 sampled users (of 300), each with their top 20 unseen items
    expect(health.sample).toEqual({ seed: 5, users: 64, pairs: 64 * 20, topK: 20 });
    expect(health.shares!.content + health.shares!.id + health.shares!.bias).toBeCloseTo(1, 10);
    expect(health.alpha!.p5).toBeLessThanOrEqual(health.alpha!.p50);
    expect(health.alpha!.p50).toBeLessThanOrEqual(health.alpha!.p95);
    expect(health.mask!.columns).toBe(data.features.reduce((a, f) => a + f.width, 0));
    // the preset keeps the soft mask, so the stored mask is the learned one the stable columns are counted on
    expect(health.mask!.stable).toBe(binarizeMask(weights.get('mask')!, 'outliers').reduce((a, b) => a + b, 0));
    expect(health.modalities.map((m) => m.modality)).toEqual(data.features.map((f) => f.modality));
    for (const m of health.modalities) expect(m.maxDeviation).toBeLessThan(1e-4); // float32 rounding of the parts
    expect(health.becauseYouWatched!.pairs).toBeGreaterThan(0);
    const [run] = await listModelRuns(client, NAME);
    expect(run.health).toEqual(health);

    const api = await startTestApi(client, env.EIOR_HOME);
    try {
      const res = await gql<{ models: { version: string; explanationHealth: Record<string, unknown> & { flags: { code: string; message: string }[] } }[] }>(
        api.url,
        `query($d: String!) { models(dataset: $d) { version explanationHealth {
          samplePairs contentShare idShare biasShare maskKept maskStable alpha { mean std p5 p95 }
          modalities { modality maxDeviation meanRankChange } becauseYouWatched { ratio } flags { code message } } } }`,
        { d: NAME },
      );
      expect(res.errors).toEqual([]);
      const served = res.data!.models.find((m) => m.version === version)!.explanationHealth;
      expect(served).toEqual({
        samplePairs: health.sample.pairs,
        contentShare: health.shares!.content,
        idShare: health.shares!.id,
        biasShare: health.shares!.bias,
        maskKept: health.mask!.kept,
        maskStable: health.mask!.stable,
        alpha: { mean: health.alpha!.mean, std: health.alpha!.std, p5: health.alpha!.p5, p95: health.alpha!.p95 },
        modalities: health.modalities.map(({ modality, maxDeviation, meanRankChange }) => ({ modality, maxDeviation, meanRankChange })),
        becauseYouWatched: { ratio: health.becauseYouWatched!.ratio },
        flags: health.flags,
      });
    } finally {
      await api.close();
    }
  });

  it('writes the run\'s environments: sizes sum to the train edges, each user in exactly its environment', async () => {
    const stored = await readEnvironments(client, NAME, version);
    expect(stored.map((e) => e.idx)).toEqual([0, 1, 2]);
    expect(stored.reduce((a, e) => a + e.edges, 0)).toBe(data.train.users.length);
    const withEnvironment = Array.from(userEnvironment).filter((e) => e >= 0).length;
    expect(stored.reduce((a, e) => a + e.users, 0)).toBe(withEnvironment);
    const testUsers = new Set(Array.from(data.test.users).filter((u) => userEnvironment[u] >= 0));
    expect(stored.reduce((a, e) => a + e.metrics.users, 0)).toBe(testUsers.size);
    for (const e of stored) {
      expect(e).toMatchObject({ source: 'inferred', run: version });
      expect(e.share).toBeCloseTo(e.edges / data.train.users.length, 12);
      expect(e.metrics['recall@20']).toBeGreaterThanOrEqual(0);
      expect(e.metrics['recall@20']).toBeLessThanOrEqual(1);
      expect(e.meanInvariantWeight).toBeGreaterThan(0);
      expect(e.meanInvariantWeight).toBeLessThan(1);
    }
    const members = await client.read(async (tx) => {
      const res = await tx.run(
        `MATCH (u:User {dataset: $dataset})
         OPTIONAL MATCH (e:Environment {dataset: $dataset, run: $run})-[:CONTAINS]->(u)
         RETURN u.idx AS u, collect(e.idx) AS envs`,
        { dataset: NAME, run: version },
      );
      return res.records.map((r) => [r.get('u') as number, r.get('envs') as number[]] as const);
    });
    expect(members).toHaveLength(data.numUsers);
    for (const [u, envs] of members) expect(envs).toEqual(userEnvironment[u] >= 0 ? [userEnvironment[u]] : []);
  });

  it('rewrites the same environments without a change, and replaces stale ones and stale memberships', async () => {
    const stored = await readEnvironments(client, NAME, version);
    const original = { dataset: NAME, run: version, source: 'inferred', environments: stored, userEnvironment: { userIdx: userEnvironment } };
    const before = await environmentDigest(client, NAME, version);
    expect(before.environments).toBe(3);
    await writeEnvironments(client, original);
    expect(await environmentDigest(client, NAME, version)).toEqual(before);

    // environment 2 dropped, its users moved to environment 0
    const moved = Float32Array.from(userEnvironment, (e) => (e === 2 ? 0 : e));
    await writeEnvironments(client, { ...original, environments: stored.slice(0, 2), userEnvironment: { userIdx: moved } });
    expect((await readEnvironments(client, NAME, version)).map((e) => e.idx)).toEqual([0, 1]);
    const changed = await environmentDigest(client, NAME, version);
    expect(changed.contains).toBe(before.contains);
    const inZero = await client.read(async (tx) => {
      const res = await tx.run('MATCH (:Environment {dataset: $dataset, run: $run, idx: 0})-[:CONTAINS]->(u:User) RETURN count(u) AS n', { dataset: NAME, run: version });
      return res.records[0].get('n') as number;
    });
    expect(inZero).toBe(Array.from(moved).filter((e) => e === 0).length);

    await writeEnvironments(client, original);
    expect(await environmentDigest(client, NAME, version)).toEqual(before);
    await expect(writeEnvironments(client, { ...original, userEnvironment: { userIdx: userEnvironment.subarray(1) } })).rejects.toThrow(
      /userEnvironment has 299 entries: expected one per user, 300/,
    );
  });

  it('explains a user\'s top items with parts that add up to the branch scores and the rating', async () => {
    const u = userEnvironment.findIndex((e) => e >= 0);
    const user = data.userIds[u];
    const trainItems = new Set<string>();
    data.train.users.forEach((v, k) => v === u && trainItems.add(data.itemIds[data.train.items[k]]));
    const run = await runCli(['explain', '--dataset', NAME, '--user', user, '--top', '5', '--json'], env);
    expect(run.code).toBe(0);
    const out = lastJsonLine(run.stdout) as { version: string; model: string; environment: number; items: ItemJson[] };
    expect(out).toMatchObject({ version, model: 'eior', environment: userEnvironment[u] });
    expect(out.items).toHaveLength(5);
    for (const [k, item] of out.items.entries()) {
      expect(trainItems.has(item.item)).toBe(false);
      expect(item.seen).toBe(false);
      if (k > 0) expect(item.rating).toBeLessThanOrEqual(out.items[k - 1].rating + 1e-5);
      expect(item.invariantWeight + item.variantWeight).toBeCloseTo(1, 6);
      expect(item.rating).toBeCloseTo(item.invariantWeight * item.invariant.score + item.variantWeight * item.variant.score, 6);
      for (const branch of [item.invariant, item.variant]) {
        expect(branch.modalities.map((m) => m.modality).sort()).toEqual(data.features.map((f) => f.modality).sort());
        expect(branch.id + branch.bias + branch.modalities.reduce((a, m) => a + m.contribution, 0)).toBeCloseTo(branch.score, 6);
      }
      expect(item.becauseYouWatched.length).toBeGreaterThan(0);
      expect(item.becauseYouWatched.length).toBeLessThanOrEqual(3);
      for (const b of item.becauseYouWatched) expect(trainItems.has(b.item)).toBe(true);
    }

    const one = await runCli(['explain', '--dataset', NAME, '--user', user, '--item', [...trainItems][0], '--json'], env);
    expect(one.code).toBe(0);
    const single = lastJsonLine(one.stdout) as { items: ItemJson[] };
    expect(single.items.map((i) => [i.item, i.seen])).toEqual([[[...trainItems][0], true]]);
    const human = await runCli(['explain', '--dataset', NAME, '--user', user, '--top', '1'], env);
    expect(human.stdout).toMatch(/weights +α_I [\d.]+ +α_E [\d.]+/);
    expect(human.stdout).toMatch(/invariant +s_I -?[\d.]+ = id -?[\d.]+ \+ bias -?[\d.]+ \+ /);
  });

  it('refuses an unknown user id, a bad --eior-set and a model trained on other data, with exit code 2', async () => {
    const unknown = await runCli(['explain', '--dataset', NAME, '--user', 'no-such-user'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(new RegExp(`user "no-such-user" is not in dataset '${NAME}': it has ${data.numUsers} users`));

    const versions = readdirSync(path.join(root, 'versions'));
    const bad = await runCli(['train', '--dataset', NAME, '--model', 'eior', '--eior-set', 'mask.epochs=0'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--eior-set mask\.epochs=0 is not valid: expected an integer >= 1/);
    expect(readdirSync(path.join(root, 'versions'))).toEqual(versions);

    // a copy of the version whose manifest names other data, made current
    cpSync(path.join(root, 'versions', version), path.join(root, 'versions', 'v0099'), { recursive: true });
    const file = path.join(root, 'versions', 'v0099', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...manifest, version: 'v0099', dataset: { ...manifest.dataset, fingerprint: 'f'.repeat(64) } }));
    await new ArtifactStore(root).setCurrent('v0099');
    const stale = await runCli(['explain', '--dataset', NAME, '--user', data.userIds[0]], env);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/model v0099 of '.*' was trained on other data .*: retrain with `eior train --dataset .* --model eior`/);

    // a copy that says it was trained with feedback the graph does not have: the API's check, now also the CLI's
    cpSync(path.join(root, 'versions', version), path.join(root, 'versions', 'v0098'), { recursive: true });
    const feedbackFile = path.join(root, 'versions', 'v0098', 'manifest.json');
    const original = JSON.parse(readFileSync(feedbackFile, 'utf8'));
    writeFileSync(feedbackFile, JSON.stringify({ ...original, version: 'v0098', dataset: { ...original.dataset, feedback: { until: Date.now(), interactions: 4 } } }));
    await new ArtifactStore(root).setCurrent('v0098');
    const withFeedback = await runCli(['explain', '--dataset', NAME, '--user', data.userIds[0]], env);
    expect(withFeedback.code).toBe(2);
    expect(withFeedback.stderr).toMatch(/model v0098 of '.*' was trained with 4 feedback interactions; the graph now has 0 recorded up to then: retrain with `eior train --dataset .* --model eior`/);
  });
});
