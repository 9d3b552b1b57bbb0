import {
  evaluateRanking,
  fitUltraGcn,
  INVRL_PRESET,
  NegativeSampler,
  PopularityModel,
  Random,
  RankingEvaluator,
  selectBackend,
  trainModel,
  UltraGcn,
  type TrainProgress,
  type UltraGcnConfig,
} from '@eior/model';
import { syntheticDataset } from './fixtures';

beforeAll(async () => {
  await selectBackend({ name: 'cpu' });
});

// 300 users with 4-d tastes, 120 items whose two feature views are noisy images of their 4-d attributes
const data = syntheticDataset({ users: 300, items: 120, perUser: 12, seed: 5 });
const CONFIG: UltraGcnConfig = {
  ...INVRL_PRESET,
  negativeNum: 10,
  batchSize: 256,
  idDim: 8,
  featureDim: 8,
  lr: 0.01,
  epochs: 12,
  patience: 5,
  evalEvery: 1,
  seed: 3,
};

describe('fitUltraGcn', () => {
  let fit: Awaited<ReturnType<typeof fitUltraGcn>>;
  const progress: TrainProgress[] = [];

  beforeAll(async () => {
    fit = await fitUltraGcn(data, CONFIG, { onProgress: (p) => progress.push(p), progressEvery: 5 });
  });

  afterAll(() => fit.model.dispose());

  it('lowers the training loss and beats popularity on test Recall@20', () => {
    const { curve, test } = fit.result;
    expect(curve[curve.length - 1].loss).toBeLessThan(0.8 * curve[0].loss);
    const popularity = evaluateRanking(new PopularityModel(data.numUsers, data.numItems, data.train), { ...data, target: data.test });
    expect(test.users).toBe(popularity.users);
    expect(test.atK[20].recall).toBeGreaterThan(popularity.atK[20].recall + 0.05);
  });

  it('returns the model holding the best validation epoch', () => {
    const { curve, bestEpoch, bestValid } = fit.result;
    const validated = curve.filter((r) => r.valid);
    const best = Math.max(...validated.map((r) => r.valid![20].ndcg));
    expect(bestValid![20].ndcg).toBe(best);
    expect(curve[bestEpoch - 1].valid![20].ndcg).toBe(best);
    const again = new RankingEvaluator(data.numUsers, data.numItems, data.train, data.valid).evaluate(fit.model, { perUser: true });
    expect(again.atK[20].ndcg).toBeCloseTo(best, 10);
    // the best evaluation's users' values are kept: the same users, the values of the weights the model holds
    const kept = fit.result.bestValidPerUser!;
    expect(Array.from(kept.users)).toEqual(Array.from(again.perUser!.users));
    kept.atK[20].ndcg.forEach((v, k) => expect(v).toBeCloseTo(again.perUser!.atK[20].ndcg[k], 6));
    expect(fit.result.test.perUser!.users.length).toBe(fit.result.test.users);
  });

  it('reports progress with epoch, step, loss, throughput and remaining time', () => {
    const steps = Math.ceil(data.train.users.length / CONFIG.batchSize);
    expect(progress.length).toBeGreaterThan(0);
    const p = progress[0];
    expect(p).toMatchObject({ epoch: 1, epochs: CONFIG.epochs, step: 5, steps });
    expect(p.loss).toBeGreaterThan(0);
    expect(p.samplesPerSecond).toBeGreaterThan(0);
    expect(p.remainingSeconds).toBeGreaterThan(0);
    expect(progress.some((q) => q.step === steps)).toBe(true);
  });

  it('gives the same figures from the same seed', async () => {
    const short = { ...CONFIG, epochs: 2, batchSize: 1024 };
    const a = await fitUltraGcn(data, short);
    const b = await fitUltraGcn(data, short);
    expect(b.result.curve.map((r) => [r.loss, r.valid])).toEqual(a.result.curve.map((r) => [r.loss, r.valid]));
    expect(b.result.test).toEqual(a.result.test);
    a.model.dispose();
    b.model.dispose();
  });
});

describe('fitUltraGcn with idPretrain', () => {
  const short = { ...CONFIG, epochs: 4, evalEvery: 1, patience: 10, batchSize: 512 };

  it('starts the multimodal model from the ID-only run: the same ID-only figures, and a multimodal run no worse on validation', async () => {
    const idOnly = await fitUltraGcn(data, { ...short, useFeatures: false });
    const both = await fitUltraGcn(data, { ...short, idPretrain: true });
    try {
      // the ID-only run inside is the plain ID-only fit (same seed, same draws)
      expect(both.pretrain!.curve.map((r) => r.valid![20].ndcg)).toEqual(idOnly.result.curve.map((r) => r.valid![20].ndcg));
      const weights = both.model.getWeights();
      expect(weights.get('user')!.length).toBe(data.numUsers * (short.idDim + short.featureDim));
      expect(both.result.bestValid![20].ndcg).toBeGreaterThanOrEqual(idOnly.result.bestValid![20].ndcg - 0.02);
    } finally {
      idOnly.model.dispose();
      both.model.dispose();
    }
  });

  it('evaluates the start as epoch 0 and keeps it when no epoch beats it', async () => {
    const frozen = await fitUltraGcn(data, { ...short, idPretrain: true, lr: 1e-12 });
    expect(frozen.result.bestEpoch).toBe(0);
    expect(frozen.result.curve.length).toBeGreaterThan(0);
    frozen.model.dispose();
  });

  it('stops the multimodal phase after featurePatience evaluations without a better one, the ID-only run after patience', async () => {
    const stalled = await fitUltraGcn(data, { ...short, epochs: 8, idPretrain: true, lr: 1e-12, featurePatience: 2 });
    try {
      expect(stalled.result.bestEpoch).toBe(0);
      expect(stalled.result.curve[stalled.result.curve.length - 1].epoch).toBe(2);
      expect(stalled.pretrain!.curve[stalled.pretrain!.curve.length - 1].epoch).toBe(8);
    } finally {
      stalled.model.dispose();
    }
  });

  it('puts the ID-only e_u in the ID half of e_u and V in V, and leaves the feature half and W as initialised', () => {
    const model = new UltraGcn(data, { ...short, idPretrain: true });
    const before = model.getWeights();
    const n = data.numUsers;
    const user = Float32Array.from({ length: n * short.idDim }, (_, k) => k / 1000);
    const V = Float32Array.from({ length: data.numItems * short.idDim }, (_, k) => -k / 1000);
    model.startFromIdModel(new Map([['user', user], ['itemId', V]]));
    const after = model.getWeights();
    const width = short.idDim + short.featureDim;
    for (const u of [0, 7, n - 1]) {
      expect(Array.from(after.get('user')!.subarray(u * width, u * width + short.idDim))).toEqual(Array.from(user.subarray(u * short.idDim, (u + 1) * short.idDim)));
      expect(after.get('user')!.subarray(u * width + short.idDim, (u + 1) * width)).toEqual(before.get('user')!.subarray(u * width + short.idDim, (u + 1) * width));
    }
    expect(after.get('itemId')).toEqual(V);
    expect(after.get('W')).toEqual(before.get('W'));
    expect(() => model.startFromIdModel(new Map([['user', user.subarray(1)], ['itemId', V]]))).toThrow(/ID-only weights: user \d+ and itemId \d+ values; expected/);
    model.dispose();
  });

  it('does nothing without features', async () => {
    const plain = await fitUltraGcn(data, { ...short, useFeatures: false });
    const flagged = await fitUltraGcn(data, { ...short, useFeatures: false, idPretrain: true });
    expect(flagged.pretrain).toBeUndefined();
    expect(flagged.result.test).toEqual(plain.result.test);
    plain.model.dispose();
    flagged.model.dispose();
  });
});

describe('trainModel', () => {
  it('stops after `patience` evaluations without a better validation NDCG@20', async () => {
    // a learning rate of 0 never improves on the first evaluation
    const config = { ...CONFIG, lr: 1e-12, epochs: 10, patience: 2 };
    const rng = new Random(1);
    const model = new UltraGcn(data, config, { rng });
    const sampler = new NegativeSampler({ numItems: data.numItems, negativeNum: 2, excludePositives: false }, rng);
    const result = await trainModel(model, data, sampler, rng, { epochs: 10, batchSize: 1024, patience: 2, evalEvery: 1 });
    expect(result.stoppedEarly).toBe(true);
    expect(result.curve.length).toBeLessThan(10);
    expect(result.bestEpoch).toBeLessThan(result.curve.length);
    model.dispose();
  });
});
