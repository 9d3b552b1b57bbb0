import {
  binarizeMask,
  NegativeSampler,
  Random,
  environmentMembers,
  learnMask,
  maskStep,
  prepareProjectionBatch,
  selectBackend,
  shuffledBatches,
  type EdgeList,
  type InvariancePenalty,
  type MaskConfig,
} from '@eior/model';
import { contentBackbone } from './fixtures';

/**
 * 40 users in two environments of 20, 60 items with 6 feature columns. Every user likes items high in column 0
 * (invariant); environment 0 also likes items high in column 1, environment 1 items low in it (spurious: the sign
 * flips). The frozen backbone gives every user the same feature embedding and no ID signal.
 */
function flippingWorld() {
  const rng = new Random(5);
  const numUsers = 40;
  const numItems = 60;
  const width = 6;
  const x = rng.normalArray(numItems * width, 1);
  const users: number[] = [];
  const items: number[] = [];
  const env: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const e = u < 20 ? 0 : 1;
    const utility = Array.from({ length: numItems }, (_, i) => x[i * width] + (e === 0 ? 1 : -1) * x[i * width + 1] + 0.3 * rng.nextNormal());
    const top = Array.from(utility.keys()).sort((a, b) => utility[b] - utility[a]).slice(0, 8);
    for (const i of top) {
      users.push(u);
      items.push(i);
      env.push(e);
    }
  }
  const train: EdgeList = { users: Int32Array.from(users), items: Int32Array.from(items) };
  const featureDim = 2;
  const userFeature = Float32Array.from({ length: numUsers * featureDim }, (_, k) => (k % 2 === 0 ? 1 : 0.5));
  const backbone = contentBackbone(x, width, train, { numUsers, numItems, idDim: 8, featureDim }, userFeature);
  return { backbone, train, assignment: Int32Array.from(env), rng };
}

const MASK: MaskConfig = {
  estimator: 'penalty',
  stabilityEpochs: 3,
  penalty: 'variance',
  alpha: 1,
  lambdaMu: 0.1,
  sigma: 0.01,
  epochs: 80,
  lr: 1e-2,
  projectionLr: 1e-2,
  projectionGamma: 0,
  alternations: 1,
  growth: 1,
  batchSize: 0,
  binarize: false,
  binarizeSplit: 'half',
  userSide: 'feature',
  tasteEpochs: 5,
  contentOnly: false,
  muStep: 'adam',
  debias: false,
  linearSpread: false,
  rowScaledLambda: false,
};

describe('the invariant feature mask', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  it.each<[InvariancePenalty, number]>([
    ['variance', 1],
    ['irmv1', 10],
    ['vrex', 100],
  ])('with the %s penalty keeps the invariant column and drops the one whose effect flips sign', async (penalty, alpha) => {
    const { backbone, train, assignment, rng } = flippingWorld();
    const sampler = new NegativeSampler({ numItems: backbone.numItems, negativeNum: 4, excludePositives: true, userItems: backbone.stats.userItems }, rng);
    const { mask, projection } = await learnMask({ backbone, train, sampler, rng, batchSize: 32 }, { ...MASK, penalty }, assignment, 2, { alpha, lambdaMu: MASK.lambdaMu });
    // the W it learned with, [d, featureDim]: the invariant column's row has grown past the 0.01 start, as it carries the taste
    expect(projection).toHaveLength(mask.length * backbone.featureDim);
    expect(Math.hypot(...projection.subarray(0, backbone.featureDim))).toBeGreaterThan(0.05);
    expect(mask[0]).toBeGreaterThan(0.5);
    expect(mask[0]).toBe(Math.max(...mask));
    expect(mask[1]).toBeLessThan(0.5);
    expect(mask[0] - mask[1]).toBeGreaterThan(0.2);
  });

  it('with contentOnly leaves the frozen ID part out of every slot, so an item effect V_i has absorbed is still found in x', async () => {
    const { backbone, train, assignment, rng } = flippingWorld();
    // the ID part already scores every item by its invariant column: e_u_id = (1, 0, ...), V_i = (x_i0, 0, ...)
    for (let u = 0; u < backbone.numUsers; u++) backbone.userId[u * 8] = 1;
    for (let i = 0; i < backbone.numItems; i++) backbone.itemId[i * 8] = 3 * backbone.x.data[i * 6];
    const sampler = new NegativeSampler({ numItems: backbone.numItems, negativeNum: 4, excludePositives: true, userItems: backbone.stats.userItems }, rng);
    const batch = shuffledBatches(train, 5, sampler, rng).next().value!;
    expect(Array.from(prepareProjectionBatch(backbone, batch, false).idScores).every((v) => v === 0)).toBe(true);
    expect(Array.from(prepareProjectionBatch(backbone, batch, true).idScores).some((v) => v !== 0)).toBe(true);
    const config = { ...MASK, contentOnly: true, muStep: 'shared' as const, debias: true };
    const { mask } = await learnMask({ backbone, train, sampler, rng, batchSize: 32 }, config, assignment, 2, { alpha: 1, lambdaMu: MASK.lambdaMu });
    expect(mask[0]).toBe(Math.max(...mask));
    expect(mask[0] - mask[1]).toBeGreaterThan(0.2);
  });

  it.each<[InvariancePenalty, boolean]>([
    ['variance', false],
    ['variance', true],
    ['irmv1', false],
    ['vrex', false],
  ])('differentiates the %s objective (debiased: %s) as finite differences do', (penalty, debias) => {
    const { backbone, train, assignment, rng } = flippingWorld();
    const sampler = new NegativeSampler({ numItems: backbone.numItems, negativeNum: 3, excludePositives: false }, rng);
    const members = environmentMembers(assignment, 2);
    const batches = members.map((m) => prepareProjectionBatch(backbone, shuffledBatches(train, 6, sampler, rng, m).next().value!));
    const noise = batches.map(() => rng.normalArray(6, 0.01));
    const W = rng.normalArray(6 * 2, 0.5);
    const mu = Float32Array.from([0.1, -0.2, 0.05, 0.3, -0.1, 0]);
    const alpha = 3;
    const objective = (w: Float32Array, m: Float32Array) => {
      const r = maskStep(backbone, { penalty, debias }, batches, noise, w, m, alpha);
      return r.loss + alpha * r.penalty;
    };
    const { gW, gMu } = maskStep(backbone, { penalty, debias }, batches, noise, W, mu, alpha);
    const h = 1e-2;
    const central = (values: Float32Array, k: number, f: (v: Float32Array) => number) => {
      const plus = values.slice();
      const minus = values.slice();
      plus[k] += h;
      minus[k] -= h;
      return (f(plus) - f(minus)) / (2 * h);
    };
    for (const k of [0, 3, 7, 10]) expect(gW[k]).toBeCloseTo(central(W, k, (w) => objective(w, mu)), 1);
    for (const k of [0, 1, 4]) expect(gMu[k]).toBeCloseTo(central(mu, k, (m) => objective(W, m)), 1);
    expect(Math.max(...Array.from(gMu, Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('binarizeMask [ours]', () => {
  it('keeps m > 0.5 with the half split', () => {
    expect(Array.from(binarizeMask(Float32Array.from([0.2, 0.5, 0.51, 1]), 'half'))).toEqual([0, 0, 1, 1]);
  });

  it('keeps the upper of the two groups Otsu finds, wherever they sit against 0.5', () => {
    // two groups around 0.60 and 0.79 (a mask whose every value is above 0.5): the split is between them
    const mask = Float32Array.from([0.6, 0.79, 0.61, 0.59, 0.8, 0.6, 0.78, 0.62]);
    expect(Array.from(binarizeMask(mask, 'otsu'))).toEqual([0, 1, 0, 0, 1, 0, 1, 0]);
    // and around 0.1 and 0.3, all below 0.5
    expect(Array.from(binarizeMask(Float32Array.from([0.1, 0.3, 0.12, 0.31]), 'otsu'))).toEqual([0, 1, 0, 1]);
  });

  it('keeps every column of a mask that cannot tell them apart', () => {
    expect(Array.from(binarizeMask(Float32Array.from([0.7, 0.7, 0.7]), 'otsu'))).toEqual([1, 1, 1]);
  });

  it('keeps only the columns that stand out above the bulk with the outliers split', () => {
    // median 0.5; deviations 0, 0.01, 0.01, 0, 0.02, 0.02, 0.4 give MAD 0.01, so the cut is 0.5 + 3.5 · 0.014826 =
    // 0.5519: 0.9 is kept, 0.52 (z 1.35) and 0.55 (z 3.37) are not
    expect(Array.from(binarizeMask(Float32Array.from([0.5, 0.51, 0.49, 0.5, 0.52, 0.48, 0.9]), 'outliers'))).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(binarizeMask(Float32Array.from([0.5, 0.51, 0.49, 0.5, 0.55, 0.48, 0.9]), 'outliers'))).toEqual([0, 0, 0, 0, 0, 0, 1]);
    // one-sided: a column far below the bulk (one the penalty pushed down) is not kept either
    expect(Array.from(binarizeMask(Float32Array.from([0.5, 0.51, 0.49, 0.5, 0.52, 0.48, 0.1]), 'outliers'))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // even count: median (0.5 + 0.5) / 2, MAD (0 + 0.1) / 2 = 0.05: 0.6 has z 1.35
    expect(Array.from(binarizeMask(Float32Array.from([0.4, 0.6, 0.5, 0.5]), 'outliers'))).toEqual([0, 0, 0, 0]);
  });

  it('keeps no column when none stands out with the outliers split', () => {
    expect(Array.from(binarizeMask(Float32Array.from([0.7, 0.7, 0.7]), 'outliers'))).toEqual([0, 0, 0]);
  });
});
