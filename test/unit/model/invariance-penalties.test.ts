import * as tf from '@tensorflow/tfjs';
import { Random, environmentAverager, gradientVariancePenalty, irmV1Penalty, rowLosses, selectBackend, vrexPenalty } from '@eior/model';

describe('invariance penalties', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  const rng = new Random(21);
  const rows = 7;
  const negatives = 3;
  const scores = rng.normalArray(rows * (1 + negatives), 1.5);
  const positive = Float32Array.from({ length: rows }, () => 0.5 + rng.nextFloat());
  const negative = Float32Array.from({ length: rows * negatives }, () => 0.5 + rng.nextFloat());
  const rowEnv = Int32Array.from([0, 2, 0, 2, 2, 0, 0]); // environment 1 is empty
  const weights = () => ({ positive: tf.tensor1d(positive), negative: tf.tensor2d(negative, [rows, negatives]), negativeWeight: 1.7 });

  /** R_e(w) = mean over e's rows of ℓ_b(w · s), in float64 loops. */
  function envRisk(w: number, env: number): number {
    const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    let sum = 0;
    let n = 0;
    for (let b = 0; b < rows; b++) {
      if (rowEnv[b] !== env) continue;
      const s = scores.subarray(b * (1 + negatives), (b + 1) * (1 + negatives));
      let neg = 0;
      for (let j = 0; j < negatives; j++) neg += negative[b * negatives + j] * softplus(w * s[1 + j]);
      sum += positive[b] * softplus(-w * s[0]) + (1.7 * neg) / negatives;
      n++;
    }
    return sum / n;
  }

  it('IRMv1 equals Σ_e of the squared finite-difference derivative of each environment risk in the dummy scale w at 1', () => {
    const h = 1e-5;
    let expected = 0;
    for (const e of [0, 2]) {
      const d = (envRisk(1 + h, e) - envRisk(1 - h, e)) / (2 * h);
      expected += d * d;
    }
    const got = tf.tidy(() => irmV1Penalty(tf.tensor2d(scores, [rows, 1 + negatives]), weights(), environmentAverager(rowEnv, 3)!).dataSync()[0]);
    expect(got).toBeCloseTo(expected, 4);
    expect(expected).toBeGreaterThan(1e-3); // not a vacuous zero
  });

  it('V-REx is the variance over environments of their mean row loss', () => {
    const r0 = envRisk(1, 0);
    const r2 = envRisk(1, 2);
    const got = tf.tidy(() => vrexPenalty(rowLosses(tf.tensor2d(scores, [rows, 1 + negatives]), weights()), environmentAverager(rowEnv, 3)!).dataSync()[0]);
    expect(got).toBeCloseTo(((r0 - r2) / 2) ** 2, 5);
  });

  it("InvRL's gradient variance weighs each input dimension's spread by (μ + 0.5), squared", () => {
    const g1 = [1, 2, 3, 4]; // [d = 2, featureDim = 2]
    const g2 = [3, 2, 1, 0];
    const mu = [0.1, -0.3];
    // spread = Σ_e (g_e − mean)²: [[2, 0], [2, 8]]; rows scaled by 0.6 and 0.2, squared, summed
    const expected = (2 * 0.6) ** 2 + 0 + (2 * 0.2) ** 2 + (8 * 0.2) ** 2;
    const got = tf.tidy(() => gradientVariancePenalty([tf.tensor2d(g1, [2, 2]), tf.tensor2d(g2, [2, 2])], tf.tensor1d(mu)).dataSync()[0]);
    expect(got).toBeCloseTo(expected, 5);
  });

  it('the debiased gradient variance first subtracts (1 − 1/E) Σ_e noise_e from the spread, at least 0', () => {
    const g1 = [1, 2, 3, 4];
    const g2 = [3, 2, 1, 0];
    const n1 = [1, 0, 3, 2]; // sampling variances of each environment's G
    const n2 = [1, 4, 1, 0];
    const mu = [0.1, -0.3];
    // spread [[2, 0], [2, 8]] minus ½ [[2, 4], [4, 2]] = [[1, −2], [0, 7]] → relu [[1, 0], [0, 7]]; rows x 0.6 and 0.2
    const expected = (1 * 0.6) ** 2 + (7 * 0.2) ** 2;
    const got = tf.tidy(() =>
      gradientVariancePenalty([tf.tensor2d(g1, [2, 2]), tf.tensor2d(g2, [2, 2])], tf.tensor1d(mu), [tf.tensor2d(n1, [2, 2]), tf.tensor2d(n2, [2, 2])]).dataSync()[0],
    );
    expect(got).toBeCloseTo(expected, 5);
  });

  it('the linear debiased form weighs the unfloored debiased spread once by (μ + 0.5)', () => {
    const g = [tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([3, 2, 1, 0], [2, 2])];
    const noise = [tf.tensor2d([1, 0, 3, 2], [2, 2]), tf.tensor2d([1, 4, 1, 0], [2, 2])];
    // debiased spread [[1, −2], [0, 7]]; rows x 0.6 and 0.2: 0.6 − 1.2 + 0 + 1.4
    const got = tf.tidy(() => gradientVariancePenalty(g, tf.tensor1d([0.1, -0.3]), noise, true).dataSync()[0]);
    expect(got).toBeCloseTo(0.6 - 1.2 + 1.4, 5);
    tf.dispose([...g, ...noise]);
  });
});
