import * as tf from '@tensorflow/tfjs';
import { Random, attentionWeights, pairAttention, selectBackend } from '@eior/model';

describe('self-attention fusion', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  const userDim = 6;
  const attentionDim = 4;
  function randomCase(seed: number, scale: number) {
    const rng = new Random(seed);
    return {
      eu: rng.normalArray(userDim, scale),
      eI: rng.normalArray(userDim, scale),
      eE: rng.normalArray(userDim, scale),
      p: {
        Wq: rng.normalArray(userDim * attentionDim, scale),
        Wk: rng.normalArray(userDim * attentionDim, scale),
        tq: rng.normalArray(2 * attentionDim, scale),
        tk: rng.normalArray(2 * attentionDim, scale),
        userDim,
        attentionDim,
      },
    };
  }

  it('gives two weights in [0, 1] that sum to 1 for random inputs, large ones included', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { eu, eI, eE, p } = randomCase(seed, seed % 2 ? 1 : 30);
      const [aI, aE] = pairAttention(eu, eI, eE, p);
      expect(Number.isFinite(aI) && Number.isFinite(aE)).toBe(true);
      expect(aI).toBeGreaterThanOrEqual(0);
      expect(aI).toBeLessThanOrEqual(1);
      expect(aE).toBeGreaterThanOrEqual(0);
      expect(aE).toBeLessThanOrEqual(1);
      expect(aI + aE).toBeCloseTo(1, 12);
    }
  });

  it('depends on the pair: two items of one user get different weights', () => {
    const { eu, eI, eE, p } = randomCase(3, 1);
    const other = randomCase(4, 1);
    expect(pairAttention(eu, eI, eE, p)[0]).not.toBeCloseTo(pairAttention(eu, other.eI, other.eE, p)[0], 4);
  });

  it('computes, in the batched tensor form used for training and ranking, what the textbook 2 x 2 attention gives', () => {
    const cases = [1, 2, 3, 4, 5].map((s) => randomCase(s, 1));
    const p = cases[0].p;
    const alpha = tf.tidy(() => {
      const att = {
        Wq: tf.tensor2d(p.Wq, [userDim, attentionDim]),
        Wk: tf.tensor2d(p.Wk, [userDim, attentionDim]),
        tq: tf.tensor2d(p.tq, [2, attentionDim]),
        tk: tf.tensor2d(p.tk, [2, attentionDim]),
      };
      const U = tf.tensor2d(cases.map((c) => Array.from(c.eu)));
      const EI = tf.tensor2d(cases.map((c) => Array.from(c.eI)));
      const EE = tf.tensor2d(cases.map((c) => Array.from(c.eE)));
      const { query, userSide } = attentionWeights.userSide(U, att);
      const rowDot = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.sum(tf.mul(a, b), -1, true) as tf.Tensor2D; // [n, 1]
      const diff = tf.sub(EI, EE) as tf.Tensor2D;
      return attentionWeights.combine(query, att, { d1: rowDot(userSide[0], diff), d2: rowDot(userSide[1], diff) }, attentionDim).dataSync();
    });
    cases.forEach((c, k) => expect(alpha[k]).toBeCloseTo(pairAttention(c.eu, c.eI, c.eE, p)[0], 5));
  });
});
