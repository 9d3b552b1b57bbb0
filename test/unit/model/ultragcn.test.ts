import * as tf from '@tensorflow/tfjs';
import { buildItemFeatures, ModelError, NegativeSampler, Random, selectBackend, shuffledBatches, UltraGcn, type TrainBatch } from '@eior/model';
import { referenceScore, tinyDataset, TINY_BATCH, TINY_CONFIG, toFloat64 } from './fixtures';

beforeAll(async () => {
  await selectBackend({ name: 'cpu' });
});

const data = tinyDataset();
const x = buildItemFeatures(data.numItems, data.features);
const ALL_USERS = Int32Array.from([0, 1, 2, 3]);

describe('UltraGcn', () => {
  it('keeps the number of live tensors constant across scoring calls and a training step', () => {
    const model = new UltraGcn(data, TINY_CONFIG);
    const before = tf.memory().numTensors;
    model.scoreAllItems(ALL_USERS);
    model.scorePairs(Int32Array.from([0, 1]), Int32Array.from([2, 3]));
    model.trainStep(TINY_BATCH);
    model.lossAndGradients(TINY_BATCH);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - 1); // the feature table's tensor
  });

  it('scores every item as scorePairs does and as the plain-loop score e_u · [V_i ; W x_i + b]', () => {
    const model = new UltraGcn(data, TINY_CONFIG);
    model.trainStep(TINY_BATCH); // b is zero at initialisation; make it count
    const all = model.scoreAllItems(ALL_USERS); // [4, 6]
    const users = Int32Array.from(Array.from({ length: 24 }, (_, k) => Math.floor(k / 6)));
    const items = Int32Array.from(Array.from({ length: 24 }, (_, k) => k % 6));
    const pairs = model.scorePairs(users, items);
    const params = toFloat64(model.getWeights());
    for (let k = 0; k < 24; k++) {
      expect(pairs[k]).toBeCloseTo(all[k], 5);
      expect(all[k]).toBeCloseTo(referenceScore(params, x.data, x.width, TINY_CONFIG.idDim, TINY_CONFIG.featureDim, users[k], items[k]), 5);
    }
    model.dispose();
  });

  it('lowers the loss of a batch it trains on', () => {
    const model = new UltraGcn(data, { ...TINY_CONFIG, lr: 0.05 });
    const first = model.trainStep(TINY_BATCH).total;
    let last = first;
    for (let s = 0; s < 30; s++) last = model.trainStep(TINY_BATCH).total;
    expect(last).toBeLessThan(0.5 * first);
    model.dispose();
  });

  it('gives the same figures from the same seed and other figures from another seed', () => {
    const run = (seed: number): { losses: number[]; scores: number[] } => {
      const config = { ...TINY_CONFIG, seed };
      const rng = new Random(seed);
      const model = new UltraGcn(data, config, { rng });
      const sampler = new NegativeSampler({ numItems: data.numItems, negativeNum: config.negativeNum, excludePositives: false }, rng);
      const losses: number[] = [];
      for (let epoch = 0; epoch < 3; epoch++) {
        for (const batch of shuffledBatches(data.train, config.batchSize, sampler, rng)) losses.push(model.trainStep(batch).total);
      }
      const scores = Array.from(model.scoreAllItems(ALL_USERS));
      model.dispose();
      return { losses, scores };
    };
    const a = run(11);
    expect(run(11)).toEqual(a);
    expect(run(12).scores).not.toEqual(a.scores);
  });

  it('restores its scores from a weight snapshot', () => {
    const model = new UltraGcn(data, TINY_CONFIG);
    const snapshot = model.getWeights();
    const before = model.scoreAllItems(ALL_USERS);
    model.trainStep(TINY_BATCH);
    expect(Array.from(model.scoreAllItems(ALL_USERS))).not.toEqual(Array.from(before));
    model.setWeights(snapshot);
    expect(Array.from(model.scoreAllItems(ALL_USERS))).toEqual(Array.from(before));
    expect(() => model.setWeights(new Map())).toThrow(/weights "user": missing/);
    model.dispose();
  });

  it('refuses a batch with an index out of range or ragged negatives, with BAD_USER_INPUT', () => {
    const model = new UltraGcn(data, TINY_CONFIG);
    const bad: TrainBatch = { ...TINY_BATCH, posItems: Int32Array.from([1, 2, 6]) };
    expect(() => model.trainStep(bad)).toThrow(/item index 6 at position 2; expected 0..5/);
    const ragged: TrainBatch = { ...TINY_BATCH, negItems: Int32Array.from([1, 2]) };
    expect(() => model.trainStep(ragged)).toThrow(ModelError);
    expect(() => model.scorePairs(Int32Array.from([4]), Int32Array.from([0]))).toThrow(/user index 4/);
    model.dispose();
  });

  it('refuses to be used after dispose', () => {
    const model = new UltraGcn(data, TINY_CONFIG);
    model.dispose();
    expect(() => model.scoreAllItems(ALL_USERS)).toThrow(expect.objectContaining({ code: 'MODEL_DISPOSED' }));
  });

  it('needs features for the multimodal variant and has e_u of idDim + featureDim', () => {
    expect(() => new UltraGcn({ ...data, features: [] }, TINY_CONFIG)).toThrow(/no feature matrix/);
    const model = new UltraGcn(data, TINY_CONFIG);
    expect(model.userDim).toBe(TINY_CONFIG.idDim + TINY_CONFIG.featureDim);
    model.dispose();
  });
});
