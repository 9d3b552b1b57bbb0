// Explanation health against values worked out by hand: a tiny EIOR model whose weights, parts and α are set, and a
// popularity model on a graph whose co-occurrence weights ω_ij are computed on paper.
import * as tf from '@tensorflow/tfjs';
import { computeExplanationHealth, EiorModel, healthFlags, PopularityModel, QUICK_EIOR_PRESET, Random, selectBackend, spread, UltraGcn, type RecDataset } from '@eior/model';
import { TINY_CONFIG } from './fixtures';

const edges = (pairs: [number, number][]) => ({ users: Int32Array.from(pairs, (p) => p[0]), items: Int32Array.from(pairs, (p) => p[1]) });
const none = edges([]);

// two users, three items; modality a is [1, 1, 0] and b is [0, 1, 1] (one column each, so L2 normalising keeps them);
// the mask keeps a (invariant) and drops b (variant)
const TINY: RecDataset = {
  numUsers: 2,
  numItems: 3,
  train: edges([[0, 0], [1, 0], [1, 1]]),
  valid: none,
  test: none,
  features: [
    { modality: 'a', width: 1, data: Float32Array.from([1, 1, 0]) },
    { modality: 'b', width: 1, data: Float32Array.from([0, 1, 1]) },
  ],
};

/**
 * e_u = [id ; f]: u0 = [1 ; 1], u1 = [2 ; −1]; V = [0.5, 0.2, 0.3]; W_I = [2, 0], b_I = 0.1, W_E = [0, 3], b_E = −0.2;
 * θ = (ln 3, 0), so α_I = 0.75 for every pair. Then s_I = id·V_i + f (0.1 + 2 a_i), s_E = id·V_i + f (−0.2 + 3 b_i):
 * u0's best unseen item is 1 (ŷ 2.475 against item 2's 1.075), u1's only unseen item is 2 (ŷ −0.175).
 */
const TINY_UG = { ...TINY_CONFIG, idDim: 1, featureDim: 1, lambda: 0, useFeatures: true, centerFeatures: false, popularityInit: false };

function tinyEior(): EiorModel {
  const config = TINY_UG;
  const fusion = { ...QUICK_EIOR_PRESET.fusion, kind: 'global' as const, sharedProjection: false };
  const model = new EiorModel(TINY, config, fusion, Float32Array.from([1, 0]), { rng: new Random(1) });
  model.setWeights(
    new Map([
      ['user', Float32Array.from([1, 1, 2, -1])],
      ['itemId', Float32Array.from([0.5, 0.2, 0.3])],
      ['W_I', Float32Array.from([2, 0])],
      ['b_I', Float32Array.from([0.1])],
      ['W_E', Float32Array.from([0, 3])],
      ['b_E', Float32Array.from([-0.2])],
      ['theta', Float32Array.from([Math.log(3), 0])],
    ]),
  );
  return model;
}

describe('computeExplanationHealth', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  it('splits the served ratings into content, id and bias shares and spreads α_I as worked by hand', () => {
    const model = tinyEior();
    const health = computeExplanationHealth(model, TINY, { users: 2, topK: 1, removed: 1, mask: Float32Array.from([1, 0]) });
    // pair (0, 1): id 0.2, bias 0.75·0.1 + 0.25·(−0.2) = 0.025, content 0.75·2 + 0.25·3 = 2.25
    // pair (1, 2): id 2·0.3 = 0.6, bias 0.75·(−0.1) + 0.25·0.2 = −0.025, content 0.25·(−3) = −0.75; Σ|·| = 3.85
    expect(health.sample).toEqual({ seed: 0, users: 2, pairs: 2, topK: 1 });
    expect(health.shares!.content).toBeCloseTo(3 / 3.85, 6);
    expect(health.shares!.id).toBeCloseTo(0.8 / 3.85, 6);
    expect(health.shares!.bias).toBeCloseTo(0.05 / 3.85, 6);
    expect(health.alpha!.mean).toBeCloseTo(0.75, 6);
    expect(health.alpha!.std).toBeCloseTo(0, 6);
    // median 0.5, MAD 0.5: neither column stands out (z 0.67)
    expect(health.mask).toEqual({ columns: 2, kept: 0.5, stable: 0 });
    model.dispose();
  });

  it('finds each modality part faithful, reports how far zeroing it moves the item in the list, and frees its copies', () => {
    const model = tinyEior();
    model.scoreAllItems(Int32Array.of(0)); // the model's own catalogue cache is built once, outside the count
    const before = tf.memory().numTensors;
    const health = computeExplanationHealth(model, TINY, { users: 2, topK: 1, removed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const [a, b] = health.modalities;
    expect(a.modality).toBe('a');
    expect(b.modality).toBe('b');
    expect(a.maxDeviation).toBeLessThan(1e-6);
    expect(b.maxDeviation).toBeLessThan(1e-6);
    // without a, u0's item 1 falls to 0.75·0.3 + 0.25·3 = 0.975 below item 2's 1.075: rank 0 → 1; u1 has one item
    expect(a.meanRankChange).toBeCloseTo(0.5, 10);
    // without b, item 1 keeps 1.725 against item 2's 0.325
    expect(b.meanRankChange).toBe(0);
    expect(a.meanContribution).toBeCloseTo((1.5 + 0) / 2, 6);
    expect(b.meanContribution).toBeCloseTo((0.75 + 0.75) / 2, 6);
    model.dispose();
  });

  it('flags the flat α_I, the missing co-occurrence evidence and a mask with no column standing out, and nothing that holds', () => {
    const model = tinyEior();
    const health = computeExplanationHealth(model, TINY, { users: 2, topK: 1, removed: 1, mask: Float32Array.from([1, 0]) });
    // u1's pair is item 2, which no user has: no ω either way
    expect(health.becauseYouWatched).toEqual({ removed: 1, users: 1, pairs: 1, meanDropNamed: 0, meanDropRandom: 0, ratio: null });
    // two columns have no bulk for one to stand out from
    expect(health.flags.map((f) => f.code)).toEqual(['NOTHING_STABLE', 'ALPHA_FLAT', 'EVIDENCE_FLAT']);
    expect(health.flags[1].message).toContain('the attention does not tell pairs apart');
    model.dispose();
  });

  it('takes a plain multimodal UltraGCN\'s parts from its score split, with no α and no mask', () => {
    // one branch, W = [2, 3], b = 0.1: s = id·V_i + f (0.1 + 2 a_i + 3 b_i); u0 item 1 5.3 (item 2 3.4), u1 item 2 −2.5
    const model = new UltraGcn(TINY, TINY_UG, { rng: new Random(1) });
    model.setWeights(new Map([['user', Float32Array.from([1, 1, 2, -1])], ['itemId', Float32Array.from([0.5, 0.2, 0.3])], ['W', Float32Array.from([2, 3])], ['b', Float32Array.from([0.1])]]));
    const health = computeExplanationHealth(model, TINY, { users: 2, topK: 1, removed: 1 });
    // Σ|content| = 5 + 3, Σ|id| = 0.2 + 0.6, Σ|bias| = 0.1 + 0.1
    expect(health.shares!.content).toBeCloseTo(8 / 9, 6);
    expect(health.shares!.id).toBeCloseTo(0.8 / 9, 6);
    expect(health.shares!.bias).toBeCloseTo(0.2 / 9, 6);
    expect(health.alpha).toBeNull();
    expect(health.mask).toBeNull();
    // without a, u0's item 1 scores 3.3 < item 2's 3.4
    expect(health.modalities.map((m) => [m.modality, m.meanRankChange])).toEqual([['a', 0.5], ['b', 0]]);
    for (const m of health.modalities) expect(m.maxDeviation).toBeLessThan(1e-6);
    model.dispose();
  });

  it('measures the "because you interacted with" evidence against random history items with ω worked by hand', () => {
    // u0 {0, 1, 2}, u1 {0, 3}, u2 {0, 3}, u3 {1}: g = (7, 4, 3, 4); popularity serves u0 item 3, u1 and u2 item 1, u3 item 0
    const data: RecDataset = { numUsers: 4, numItems: 4, train: edges([[0, 0], [0, 1], [0, 2], [1, 0], [1, 3], [2, 0], [2, 3], [3, 1]]), valid: none, test: none, features: [] };
    const health = computeExplanationHealth(new PopularityModel(4, 4, data.train), data, { users: 4, topK: 1, removed: 1 });
    // c = sqrt(5/8); (0, 3): ω_30 = (2/4) c, random (1/3)(2/4) c; (1, 1) and (2, 1): ω_10 = (1/4) c, random (1/2)(1/4) c; u3 has one item
    const c = Math.sqrt(5 / 8);
    const check = health.becauseYouWatched!;
    expect(check.pairs).toBe(3);
    expect(check.users).toBe(3);
    expect(check.meanDropNamed).toBeCloseTo(c / 3, 10);
    expect(check.meanDropRandom).toBeCloseTo((c * (1 / 6 + 1 / 8 + 1 / 8)) / 3, 10);
    expect(check.ratio).toBeCloseTo(2.4, 10);
    expect(health.shares).toBeNull();
    expect(health.alpha).toBeNull();
    expect(health.modalities).toEqual([]);
    expect(health.flags).toEqual([]);
  });
});

describe('spread', () => {
  it('gives the mean, population standard deviation and interpolated percentiles', () => {
    expect(spread([4, 0, 3, 1, 2])).toEqual({ mean: 2, std: Math.sqrt(2), p5: expect.closeTo(0.2, 10), p25: 1, p50: 2, p75: 3, p95: expect.closeTo(3.8, 10) });
  });
});

describe('healthFlags', () => {
  const base = { sample: { seed: 0, users: 1, pairs: 1, topK: 20 }, shares: null, alpha: null, mask: null, modalities: [], becauseYouWatched: null };

  it('says in words that the mask kept no column, that content is under 1 % and that a part was unfaithful', () => {
    const flags = healthFlags({
      ...base,
      mask: { columns: 96, kept: 0 },
      shares: { content: 0.0004, id: 0.99, bias: 0.0096 },
      modalities: [{ modality: 'image', maxDeviation: 0.01, meanRankChange: 0, meanContribution: 0 }],
    });
    expect(flags.map((f) => f.message)).toEqual([
      'the mask kept no feature column (of 96): the invariant branch uses item ids only',
      'content carries under 1 % of the rating (0.040 %): the modality parts are noise next to the item id',
      'removing a modality moved a branch score by up to 1.00e-2 more than its stated part',
    ]);
  });

  it('says when no column of a mask that keeps some stands out as stable, and not for health stored before the count', () => {
    const flags = healthFlags({ ...base, mask: { columns: 96, kept: 0.82, stable: 0 } });
    expect(flags).toEqual([
      {
        code: 'NOTHING_STABLE',
        message: 'no feature column stands out as stable across environments (of 96): the invariant/variant split of the content is not a finding',
      },
    ]);
    expect(healthFlags({ ...base, mask: { columns: 96, kept: 0.82, stable: 4 } })).toEqual([]);
    expect(healthFlags({ ...base, mask: { columns: 96, kept: 0.82 } })).toEqual([]);
    // an empty mask is said once, as MASK_EMPTY
    expect(healthFlags({ ...base, mask: { columns: 96, kept: 0, stable: 0 } }).map((f) => f.code)).toEqual(['MASK_EMPTY']);
  });

  it('raises nothing for a split that carries information', () => {
    const alpha = { mean: 0.5, std: 0.2, p5: 0.1, p25: 0.3, p50: 0.5, p75: 0.7, p95: 0.9 };
    const evidence = { removed: 3, users: 10, pairs: 200, meanDropNamed: 3, meanDropRandom: 1, ratio: 3 };
    expect(healthFlags({ ...base, mask: { columns: 10, kept: 0.4 }, alpha, shares: { content: 0.3, id: 0.6, bias: 0.1 }, becauseYouWatched: evidence })).toEqual([]);
  });
});
