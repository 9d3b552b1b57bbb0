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
    const again = new RankingEvaluator(data.numUsers, data.numItems, data.train, data.valid).evaluate(fit.model);
    expect(again.atK[20].ndcg).toBeCloseTo(best, 10);
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
