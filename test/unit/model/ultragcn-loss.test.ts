import * as tf from '@tensorflow/tfjs';
import {
  buildItemFeatures,
  ConstantTable,
  featureDot,
  matMulPlain,
  selectBackend,
  ultraGcnLossTerms,
  UltraGcn,
  type FeatureDotStrategy,
  type UltraGcnConfig,
} from '@eior/model';
import { referenceLoss, tinyDataset, TINY_BATCH, TINY_CONFIG, toFloat64, wideDataset, WIDE_BATCH, WIDE_CONFIG, type ReferenceParams } from './fixtures';

beforeAll(async () => {
  await selectBackend({ name: 'cpu' });
});

const data = tinyDataset();
const x = buildItemFeatures(data.numItems, data.features);
const wide = wideDataset();
const wideX = buildItemFeatures(wide.numItems, wide.features);

function relClose(actual: number, expected: number, rel: number, abs = 1e-7): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(abs + rel * Math.abs(expected));
}

describe('ultraGcnLossTerms', () => {
  it('sums weighted BCE terms as in the official cal_loss_L and cal_loss_I', () => {
    const s = [
      [0.5, -1, 2, 0.3, 1.5], // positive, 2 negatives, 2 neighbours
      [-2, 0, 0.7, -0.4, 3],
    ];
    const pos = [0.9, 1.2];
    const neg = [
      [0.5, 2],
      [1, 0.25],
    ];
    const nb = [
      [0.3, 0.1],
      [0, 0.6],
    ];
    const bce1 = (z: number): number => Math.log(1 + Math.exp(-z)); // BCE(z, 1)
    const bce0 = (z: number): number => Math.log(1 + Math.exp(z)); // BCE(z, 0)
    let expectL = 0;
    let expectI = 0;
    for (let b = 0; b < 2; b++) {
      expectL += pos[b] * bce1(s[b][0]) + (3 * (neg[b][0] * bce0(s[b][1]) + neg[b][1] * bce0(s[b][2]))) / 2;
      expectI += -nb[b][0] * Math.log(1 / (1 + Math.exp(-s[b][3]))) - nb[b][1] * Math.log(1 / (1 + Math.exp(-s[b][4])));
    }
    const terms = tf.tidy(() => {
      const out = ultraGcnLossTerms(tf.tensor2d(s), { positive: tf.tensor1d(pos), negative: tf.tensor2d(neg), neighbor: tf.tensor2d(nb) }, { negativeWeight: 3, softmaxTemperature: 0 });
      return [out.lossL.dataSync()[0], out.lossI.dataSync()[0]];
    });
    relClose(terms[0], expectL, 1e-6);
    relClose(terms[1], expectI, 1e-6);
  });

  it('with a temperature, L_L is the sampled softmax of each row over its positive and negatives (hand-worked)', () => {
    // row 1: logits (2, 0, -1)/2 = (1, 0, -0.5): −log(e / (e + 1 + e^-0.5)) = log(1 + e^-1 + e^-1.5) = 0.46437;
    // row 2: logits (0, 0, 0): log 3 = 1.09861. The neighbour slot is still L_I, the weights of L_L unused.
    const terms = tf.tidy(() => {
      const out = ultraGcnLossTerms(
        tf.tensor2d([
          [2, 0, -1, 1],
          [0, 0, 0, -1],
        ]),
        { positive: tf.tensor1d([5, 5]), negative: tf.tensor2d([[7, 7], [7, 7]]), neighbor: tf.tensor2d([[1], [0.5]]) },
        { negativeWeight: 9, softmaxTemperature: 2 },
      );
      return [out.lossL.dataSync()[0], out.lossI.dataSync()[0]];
    });
    relClose(terms[0], Math.log(1 + Math.exp(-1) + Math.exp(-1.5)) + Math.log(3), 1e-6);
    relClose(terms[1], Math.log(1 + Math.exp(-1)) + 0.5 * Math.log(1 + Math.exp(1)), 1e-6);
    expect(terms[0]).toBeCloseTo(0.46437 + 1.09861, 4);
  });

  it('stays finite for scores far beyond the range of exp', () => {
    const value = tf.tidy(() => ultraGcnLossTerms(tf.tensor2d([[-200, 200]]), { positive: tf.tensor1d([1]), negative: tf.tensor2d([[1]]) }, { negativeWeight: 1, softmaxTemperature: 0 }).lossL.dataSync()[0]);
    relClose(value, 400, 1e-6);
  });

  it('refuses scores whose slots do not match the weights', () => {
    expect(() => ultraGcnLossTerms(tf.zeros([1, 3]) as tf.Tensor2D, { positive: tf.ones([1]) as tf.Tensor1D, negative: tf.ones([1, 1]) as tf.Tensor2D }, { negativeWeight: 1, softmaxTemperature: 0 })).toThrow(/3 slots/);
  });
});

// Each term alone, then all of them, against the plain-loop float64 loss of fixtures.ts.
const TERM_CASES: [string, Partial<UltraGcnConfig>][] = [
  ['the positive part of L_L', { negativeWeight: 0, lambda: 0 }],
  ['the negative part of L_L', { w1: 0, w2: 0, lambda: 0 }],
  ['L_I', { lambda: 0.5 }],
  ['L_L of the ID-only model', { useFeatures: false, lambda: 0 }],
];

describe('UltraGcn losses', () => {
  it.each(TERM_CASES)('computes %s as the plain-loop implementation does', (_, overrides) => {
    const config = { ...TINY_CONFIG, ...overrides };
    const model = new UltraGcn(data, config);
    const ref = referenceLoss(toFloat64(model.getWeights()), config.useFeatures ? x.data : null, x.width, model.stats, config, TINY_BATCH);
    const got = model.lossAndGradients(TINY_BATCH);
    relClose(got.lossL, ref.lossL, 1e-5);
    relClose(got.lossI, ref.lossI, 1e-5);
    model.dispose();
  });

  it('reports the L2 penalty γ ½‖V, e_u‖² + γ_W ½‖W, b‖² before the step and L = L_L + λ L_I + penalty', () => {
    const model = new UltraGcn(data, TINY_CONFIG);
    const ref = referenceLoss(toFloat64(model.getWeights()), x.data, x.width, model.stats, TINY_CONFIG, TINY_BATCH);
    const step = model.trainStep(TINY_BATCH);
    relClose(step.l2, ref.l2, 1e-6);
    relClose(step.total, ref.lossL + TINY_CONFIG.lambda * ref.lossI + ref.l2, 1e-5);
    model.dispose();
  });
});

interface GradientFixture {
  data: typeof data;
  x: typeof x;
  config: UltraGcnConfig;
  batch: typeof TINY_BATCH;
}

/** Central differences of the float64 reference L_L + λ L_I in every parameter entry. */
function numericGradients(params: ReferenceParams, f: GradientFixture, stats: UltraGcn['stats']): Map<string, Float64Array> {
  const h = 1e-5;
  const { config } = f;
  const loss = (): number => {
    const r = referenceLoss(params, config.useFeatures ? f.x.data : null, f.x.width, stats, config, f.batch);
    return r.lossL + config.lambda * r.lossI;
  };
  const out = new Map<string, Float64Array>();
  for (const [name, arr] of Object.entries(params) as [string, Float64Array | undefined][]) {
    if (!arr) continue;
    const g = new Float64Array(arr.length);
    for (let e = 0; e < arr.length; e++) {
      const keep = arr[e];
      arr[e] = keep + h;
      const up = loss();
      arr[e] = keep - h;
      const down = loss();
      arr[e] = keep;
      g[e] = (up - down) / (2 * h);
    }
    out.set(name, g);
  }
  return out;
}

const tiny = (overrides: Partial<UltraGcnConfig>): GradientFixture => ({ data, x, config: { ...TINY_CONFIG, ...overrides }, batch: TINY_BATCH });
const GRADIENT_CASES: [string, GradientFixture, FeatureDotStrategy, 'auto' | 'js'][] = [
  ['the multimodal model, feature score by JS loops', tiny({}), 'js', 'js'],
  ['the multimodal model, feature score by tf ops', tiny({}), 'tf', 'js'],
  ['the ID-only model with L_I', tiny({ useFeatures: false }), 'js', 'js'],
  ['the multimodal model on the SIMD kernels (widths of 8)', { data: wide, x: wideX, config: WIDE_CONFIG, batch: WIDE_BATCH }, 'js', 'auto'],
];

describe('UltraGcn gradients', () => {
  it.each(GRADIENT_CASES)('match finite differences for %s, through the sparse gather of repeated rows', (_, f, strategy, kernels) => {
    const model = new UltraGcn(f.data, f.config, { featureDotStrategy: strategy, kernels });
    expect(model.simd).toBe(kernels === 'auto');
    const analytic = model.lossAndGradients(f.batch).grads;
    const numeric = numericGradients(toFloat64(model.getWeights()), f, model.stats);
    expect([...analytic.keys()].sort()).toEqual([...numeric.keys()].sort());
    for (const [name, g] of numeric) {
      const a = analytic.get(name)!;
      for (let e = 0; e < g.length; e++) relClose(a[e], g[e], 2e-3, 2e-5);
    }
    // user 3 is in neither batch: no data gradient
    const dim = model.userDim;
    expect(Array.from(analytic.get('user')!.subarray(3 * dim, 4 * dim))).toEqual(new Array(dim).fill(0)); // user 3
    model.dispose();
  });
});

describe('featureDot', () => {
  const table = new ConstantTable(Float32Array.from([1, 2, 3, -1, 0.5, 2, 0, 0, 1]), 3, 3);
  const indices = Int32Array.from([2, 0, 0, 1]); // [batch 2, slots 2], item 0 twice
  const qValues = [0.5, -1, 2, 1, 1, -0.5]; // [2, 3]
  const w = [1, -2, 0.5, 3]; // upstream gradient, [2, 2]
  const run = (strategy: FeatureDotStrategy): { value: number[]; grad: number[] } =>
    tf.tidy(() => {
      const q = tf.tensor2d(qValues, [2, 3]);
      const upstream = tf.tensor2d(w, [2, 2]);
      const f = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(featureDot(t as tf.Tensor2D, table, indices, 2, strategy), upstream));
      return { value: Array.from(featureDot(q, table, indices, 2, strategy).dataSync()), grad: Array.from(tf.grad(f)(q).dataSync()) };
    });

  it('computes q[b] · x_(indices[b, s]) by hand-worked values', () => {
    // row 0: q0·x2 = 2, q0·x0 = 4.5; row 1: q1·x0 = 1.5, q1·x1 = -1.5
    expect(run('js').value).toEqual([2, 4.5, 1.5, -1.5]);
  });

  it('has a custom gradient equal to the tf-ops path and to finite differences', () => {
    const js = run('js');
    const viaTf = run('tf');
    viaTf.grad.forEach((g, k) => expect(js.grad[k]).toBeCloseTo(g, 5));
    // the function is linear in q, so a central difference with a large step is exact up to rounding
    const qData = qValues;
    const total = (qq: number[]): number =>
      tf.tidy(() => {
        const out = featureDot(tf.tensor2d(qq, [2, 3]), table, indices, 2, 'js').dataSync();
        return Array.from(out).reduce((s, v, k) => s + v * w[k], 0);
      });
    qData.forEach((v, e) => {
      const up = qData.slice();
      const down = qData.slice();
      up[e] = v + 0.5;
      down[e] = v - 0.5;
      expect(js.grad[e]).toBeCloseTo(total(up) - total(down), 4);
    });
  });
});

describe('matMulPlain', () => {
  it('has the value and gradients of tf.matMul', () => {
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = tf.tensor2d([[1, -1], [0.5, 2], [-2, 1]]);
    const dy = tf.tensor2d([[1, 2], [3, 4]]);
    const plain = tf.grads((p: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(matMulPlain(p as tf.Tensor2D, r as tf.Tensor2D), dy)))([a, b]);
    const ref = tf.grads((p: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p as tf.Tensor2D, r as tf.Tensor2D), dy)))([a, b]);
    expect(Array.from(matMulPlain(a, b).dataSync())).toEqual(Array.from(tf.matMul(a, b).dataSync()));
    expect(Array.from(plain[0].dataSync())).toEqual(Array.from(ref[0].dataSync()));
    expect(Array.from(plain[1].dataSync())).toEqual(Array.from(ref[1].dataSync()));
  });
});
