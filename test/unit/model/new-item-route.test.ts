// The new-item route (libs/model/src/new-item-route.ts), worked by hand on a 3-item, 3-column catalogue, and inside
// an EIOR model: new items take the route's calibrated content score with α_I = 1, old items keep the fused score,
// explanations add up, a stored version restores the same scores, and the health check's copies stay faithful.
import {
  EiorModel,
  NewItemRoute,
  QUICK_EIOR_PRESET,
  Random,
  computeExplanationHealth,
  healthSubject,
  itemsWithoutEdges,
  leastSquares,
  planNewItemRoute,
  readNewItemRoute,
  restoreModel,
  selectBackend,
  type ItemFeatures,
  type RouteParts,
} from '@eior/model';
import { TINY_BATCH, TINY_CONFIG, edges, tinyDataset } from './fixtures';

// x: item 0 [1, 2 | 3], item 1 [0, -1 | 4], item 2 [2, 0 | -1]; blocks image (columns 0-1) and audio (column 2)
const X: ItemFeatures = {
  numItems: 3,
  width: 3,
  data: Float32Array.from([1, 2, 3, 0, -1, 4, 2, 0, -1]),
  blocks: [
    { modality: 'image', offset: 0, width: 2 },
    { modality: 'audio', offset: 2, width: 1 },
  ],
};
// p_0 = (1, 2), p_1 = (0, 1); W rows (1, 0), (0, 1), (1, 1): W p_0 = (1, 2, 3), W p_1 = (0, 1, 1); m* = (1, 0, 1)
// so the user sides are (1, 0, 3) and (0, 0, 1): c(0, ·) = 10, 12, -1 and c(1, ·) = 3, 4, -1
const PARTS: RouteParts = {
  users: Float32Array.from([1, 2, 0, 1]),
  projection: Float32Array.from([1, 0, 0, 1, 1, 1]),
  stableMask: Float32Array.from([1, 0, 1]),
  items: Int32Array.of(2),
  featureDim: 2,
};
const TRAIN = edges([[0, 0], [1, 1], [0, 1]]);

describe('leastSquares', () => {
  it('fits a and b by hand: c 0, 1, 2 against y 0, 2, 1 gives a = cov / var = 1 / 2, b = 1 − a', () => {
    expect(leastSquares([0, 1, 2], [0, 2, 1])).toEqual({ slope: 0.5, intercept: 0.5 });
    expect(leastSquares([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ slope: 2, intercept: 1 });
  });

  it('gives none where content does not order the ratings, or does not vary', () => {
    expect(leastSquares([0, 1, 2], [5, 3, 1])).toBeNull();
    expect(leastSquares([1, 1, 1], [0, 2, 1])).toBeNull();
    expect(leastSquares([], [])).toBeNull();
  });
});

describe('NewItemRoute', () => {
  it('scores c(u, i) = (W p_u) · (x_i ⊙ m*) by hand', () => {
    const route = new NewItemRoute(PARTS, X);
    expect([0, 1, 2].map((i) => route.content(0, i))).toEqual([10, 12, -1]);
    expect([0, 1, 2].map((i) => route.content(1, i))).toEqual([3, 4, -1]);
  });

  it('routes nothing before its calibration, then its items with a c + b, split by modality', () => {
    const route = new NewItemRoute(PARTS, X);
    expect(route.routes(2)).toBe(false);
    // ratings that are exactly 2 c + 1 on the sample: the fit recovers a = 2, b = 1
    const calibration = route.calibrate(TRAIN, new Random(1), (users, items) => Float32Array.from(users, (u, k) => 2 * route.content(u, items[k]) + 1));
    expect(calibration).toEqual({ slope: 2, intercept: 1 });
    expect([route.routes(2), route.routes(0)]).toEqual([true, false]);
    expect(route.rating(0, 2)).toBe(-1);
    // image: 1·2 + 0·0 = 2, times a = 4; audio: 3·(−1) = −3, times a = −6; bias b = 1
    expect(route.explain(0, 2)).toEqual({ score: -1, bias: 1, modalities: [{ modality: 'image', contribution: 4 }, { modality: 'audio', contribution: -6 }] });
    const out = new Float32Array(6).fill(7);
    route.overwrite(Int32Array.of(0, 1), out);
    expect(Array.from(out)).toEqual([7, 7, -1, 7, 7, -1]);
  });

  it('takes the slope from the old items and the level from the fused ratings of the new ones', () => {
    const route = new NewItemRoute(PARTS, X);
    // old items rated 2 c + 1, the new item 2 c − 3: a = 2 from the old pairs, b = mean(ŷ − 2 c) = −3 over the new pairs
    const rate = (users: Int32Array, items: Int32Array) => Float32Array.from(users, (u, k) => 2 * route.content(u, items[k]) + (items[k] === 2 ? -3 : 1));
    expect(route.calibrate(TRAIN, new Random(1), rate)).toEqual({ slope: 2, intercept: -3 });
    expect(route.rating(1, 2)).toBe(-5);
  });

  it('stays off when content orders the ratings the wrong way', () => {
    const route = new NewItemRoute(PARTS, X);
    expect(route.calibrate(TRAIN, new Random(1), (users, items) => Float32Array.from(users, (u, k) => -route.content(u, items[k])))).toBeNull();
    expect(route.routes(2)).toBe(false);
    const out = new Float32Array(3).fill(7);
    route.overwrite(Int32Array.of(0), out);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });

  it('packs into named weights with shapes and reads them back; refuses a partial route', () => {
    const route = new NewItemRoute(PARTS, X, { slope: 2, intercept: 1 });
    const packed = route.pack();
    expect(packed.map((p) => [p.name, p.shape])).toEqual([
      ['newItemRoute.tasteUsers', [2, 2]],
      ['newItemRoute.tasteProjection', [3, 2]],
      ['newItemRoute.stableMask', [3]],
      ['newItemRoute.items', [1]],
      ['newItemRoute.calibration', [2]],
    ]);
    const weights = new Map(packed.map((p) => [p.name, p.values]));
    const read = readNewItemRoute(weights, 2)!;
    expect(read.calibration).toEqual({ slope: 2, intercept: 1 });
    expect(Array.from(read.parts.items)).toEqual([2]);
    expect(readNewItemRoute(new Map(), 2)).toBeNull();
    weights.delete('newItemRoute.calibration');
    expect(() => readNewItemRoute(weights, 2)).toThrow(/has "newItemRoute.tasteUsers" but not all of/);
  });

  it('refuses parts that do not fit x, naming the sizes', () => {
    expect(() => new NewItemRoute({ ...PARTS, stableMask: Float32Array.of(1, 0) }, X)).toThrow(/mask 2 values; expected 3 x 2 and 3/);
    expect(() => new NewItemRoute({ ...PARTS, items: Int32Array.of(3) }, X)).toThrow(/item 3; expected an index below 3/);
  });
});

describe('planNewItemRoute', () => {
  // (m − median) / (1.4826 MAD): median 0.12, MAD 0.01, column 3 at 52.6 > 3.5 stands out, the rest do not
  const learnedMask = Float32Array.from([0.1, 0.11, 0.12, 0.9, 0.13]);
  const taste = { users: new Float32Array(4 * 2), projection: new Float32Array(5 * 2) };

  it('takes the items without train edges and the columns the outliers rule keeps', () => {
    const { train } = tinyDataset();
    const without4 = edges([...train.users].map((u, e) => [u, train.items[e]] as [number, number]).filter(([, i]) => i !== 4));
    expect(Array.from(itemsWithoutEdges(6, without4))).toEqual([4]);
    const plan = planNewItemRoute(6, without4, { learnedMask, taste }, 2);
    expect(plan.absence).toBeNull();
    expect(Array.from(plan.route!.parts.stableMask)).toEqual([0, 0, 0, 1, 0]);
    expect(Array.from(plan.route!.parts.items)).toEqual([4]);
    expect(plan.route!.calibration).toBeNull();
  });

  it('says why there is no route', () => {
    const { train } = tinyDataset();
    expect(planNewItemRoute(6, train, { learnedMask, taste }, 2).absence).toBe('every item has train edges');
    expect(planNewItemRoute(7, train, { learnedMask, taste: null }, 2).absence).toMatch(/no user taste/);
    expect(planNewItemRoute(7, train, { learnedMask: new Float32Array(5).fill(0.5), taste }, 2).absence).toBe('the mask found no stable content column');
  });
});

describe('an EIOR model with the new-item route', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });
  const fusion = { ...QUICK_EIOR_PRESET.fusion, attentionDim: 4 };
  const mask = Float32Array.from([1, 0.5, 0, 0.8, 0.2]);
  // item 4 loses its one train edge, (2, 4); the taste is drawn, so the route's content is a fixed function of the pair
  const base = tinyDataset();
  const data = { ...base, train: edges([...base.train.users].map((u, e) => [u, base.train.items[e]] as [number, number]).filter(([, i]) => i !== 4)) };
  const spec = () => {
    const rng = new Random(5);
    const parts: RouteParts = { users: rng.normalArray(4 * 2, 1), projection: rng.normalArray(5 * 2, 1), stableMask: Float32Array.from([1, 1, 0, 1, 0]), items: Int32Array.of(4), featureDim: 2 };
    return { parts, calibration: null };
  };
  const users = Int32Array.of(0, 1, 2, 3);

  it('scores old items as the fused model does and new items by the route, with α_I = 1 and parts that add up', () => {
    const plain = new EiorModel(data, TINY_CONFIG, fusion, mask, { rng: new Random(2) });
    const routed = new EiorModel(data, TINY_CONFIG, fusion, mask, { rng: new Random(2), newItems: spec() });
    for (let s = 0; s < 3; s++) {
      plain.trainStep(TINY_BATCH);
      routed.trainStep(TINY_BATCH);
    }
    const a = plain.scoreAllItems(users);
    const b = routed.scoreAllItems(users);
    const route = routed.newItemRoute!;
    expect(route.currentCalibration!.slope).toBeGreaterThan(0);
    users.forEach((u, k) => {
      for (let i = 0; i < 6; i++) {
        if (i === 4) expect(b[k * 6 + i]).toBeCloseTo(route.rating(u, 4), 5);
        else expect(b[k * 6 + i]).toBe(a[k * 6 + i]);
      }
    });
    const e = routed.explain(1, 4);
    expect([e.newItem, e.invariantWeight, e.variantWeight, e.invariant.id]).toEqual([true, 1, 0, 0]);
    expect(e.rating).toBeCloseTo(routed.scorePairs(Int32Array.of(1), Int32Array.of(4))[0], 6);
    expect(e.invariant.bias + e.invariant.modalities.reduce((s, m) => s + m.contribution, 0)).toBeCloseTo(e.rating, 6);
    expect(e.variant).toEqual(plain.explain(1, 4).variant);
    expect(routed.explain(1, 3)).toEqual(plain.explain(1, 3));
    plain.dispose();
    routed.dispose();
  });

  it('restores from a version with the same scores, and its health copies stay faithful', () => {
    const trained = new EiorModel(data, TINY_CONFIG, fusion, mask, { rng: new Random(2), newItems: spec() });
    trained.trainStep(TINY_BATCH);
    const scores = trained.scoreAllItems(users); // calibrates
    const weights = new Map([...trained.getWeights(), ['mask', mask], ...trained.newItemRoute!.pack().map((p) => [p.name, p.values] as [string, Float32Array])]);
    const restored = restoreModel('eior', { backbone: TINY_CONFIG, eior: { ...QUICK_EIOR_PRESET, fusion } } as unknown as Record<string, unknown>, weights, data);
    expect(Array.from(restored.model.scoreAllItems(users))).toEqual(Array.from(scores));
    expect(restored.explain(3, 4)).toEqual(trained.explain(3, 4));
    // the copy without a modality scores the new item by the same route less that modality's part
    const without = healthSubject(trained, data).withoutModality!('image');
    const e = trained.explain(0, 4);
    const image = e.invariant.modalities.find((m) => m.modality === 'image')!.contribution;
    expect(without.model.scoreAllItems(Int32Array.of(0))[4]).toBeCloseTo(e.rating - image, 6);
    without.dispose();
    const health = computeExplanationHealth(trained, data, { mask, topK: 3 }); // user 0 has 3 unseen items, the others 4
    for (const m of health.modalities) expect(m.maxDeviation).toBeLessThan(1e-5);
    // every user is sampled (4 with train items); count the users whose top 3 unseen items hold item 4
    const own = new Set([...data.train.users].map((u, e) => `${u},${data.train.items[e]}`));
    const routed = [...users].filter((u, k) => {
      const unseen = [0, 1, 2, 3, 4, 5].filter((i) => !own.has(`${u},${i}`)).sort((i, j) => scores[k * 6 + j] - scores[k * 6 + i]);
      return unseen.slice(0, 3).includes(4);
    }).length;
    expect(routed).toBeGreaterThan(0);
    expect(health.newItems).toEqual({ items: 1, routedPairs: routed });
    trained.dispose();
    restored.model.dispose();
  });
});
