// EIOR's self-attention fusion (docs/method.md#5-fusion) [ours]: the pair (u, i) is two tokens, h_a = [e_u ; e_i^a] for
// a ∈ {I, E}, each with a learned type embedding; single-head attention A = softmax_rows(Q Kᵀ / sqrt(d_a)) with
// the queries read from the user half, q_a = W_Qᵀ e_u + τq_a, and the keys from the item half, k_b = W_Kᵀ e_i^b + τk_b;
// (α_I, α_E) are the column means of A, so both lie in [0, 1] and sum to 1, and ŷ = α_I s_I + α_E s_E.
// Why queries and keys each read one half: the logit q_a · k_b = (W_K q_a) · e_i^b + q_a · τk_b is then a score of
// e_i^b against a user-side vector, so a full ranking costs four more (users x 128) by (128 x items) products. With
// the product tokens e_u ⊙ e_i^a the logit is trilinear and costs about 16,000 multiply-adds per (user, item) pair,
// some 10^12 for one evaluation of TikTok's test users.
import * as tf from '@tensorflow/tfjs';
import { matMulPlain } from './sparse-ops';

export interface AttentionTensors {
  Wq: tf.Tensor2D; // [userDim, d_a]
  Wk: tf.Tensor2D; // [userDim, d_a]
  tq: tf.Tensor2D; // [2, d_a]: τq_I, τq_E
  tk: tf.Tensor2D; // [2, d_a]: τk_I, τk_E
}

/**
 * What the softmax over b sees of the item: d_a = (W_K q_a) · (e_i^I − e_i^E) for query token a = 1 (I), 2 (E),
 * each [rows, columns]. (The item's shared ID part cancels in the difference.)
 */
export interface KeyDifferences {
  d1: tf.Tensor2D;
  d2: tf.Tensor2D;
}

export const attentionWeights = {
  /** q = e_u W_Q [rows, d_a] and, per query token a, the user-side vector W_K (q + τq_a) [rows, userDim]. */
  userSide(userRows: tf.Tensor2D, att: AttentionTensors): { query: tf.Tensor2D; userSide: [tf.Tensor2D, tf.Tensor2D] } {
    const query = matMulPlain(userRows, att.Wq);
    const WkT = tf.transpose(att.Wk);
    const side = (a: number) => matMulPlain(tf.add(query, tf.slice(att.tq, [a, 0], [1, -1])) as tf.Tensor2D, WkT as tf.Tensor2D);
    return { query, userSide: [side(0), side(1)] };
  },

  /**
   * α_I = ½ (A_II + A_EI) with A_aI = softmax_b(q_a · k_b / sqrt(d_a))_I = σ((d_a + q_a · (τk_I − τk_E)) / sqrt(d_a)),
   * the same shape as the d_a.
   */
  combine(query: tf.Tensor2D, att: AttentionTensors, d: KeyDifferences, attentionDim: number): tf.Tensor2D {
    const scale = 1 / Math.sqrt(attentionDim);
    const typeDiff = tf.sub(tf.slice(att.tk, [0, 0], [1, -1]), tf.slice(att.tk, [1, 0], [1, -1])); // τk_I − τk_E, [1, d_a]
    const c = (a: number) => tf.sum(tf.mul(tf.add(query, tf.slice(att.tq, [a, 0], [1, -1])), typeDiff), -1, true); // [rows, 1]
    // softmax over two logits is σ of their difference
    const rowI = tf.sigmoid(tf.mul(tf.add(d.d1, c(0)), scale));
    const rowE = tf.sigmoid(tf.mul(tf.add(d.d2, c(1)), scale));
    return tf.mul(tf.add(rowI, rowE), 0.5) as tf.Tensor2D;
  },
};

export interface AttentionValues {
  Wq: Float32Array;
  Wk: Float32Array;
  tq: Float32Array;
  tk: Float32Array;
  userDim: number;
  attentionDim: number;
}

/** The two query tokens' vectors e_u W_Q + τq_a, [d_a] each: the user's half of pairAttention, reusable across items. */
export function attentionQueries(eu: Float32Array, p: AttentionValues): [Float64Array, Float64Array] {
  const { userDim: n, attentionDim: d } = p;
  const out: [Float64Array, Float64Array] = [new Float64Array(d), new Float64Array(d)];
  for (let a = 0; a < 2; a++) {
    for (let r = 0; r < d; r++) {
      let s = p.tq[a * d + r];
      for (let k = 0; k < n; k++) s += eu[k] * p.Wq[k * d + r];
      out[a][r] = s;
    }
  }
  return out;
}

/** The item's two key tokens e_i^I W_K + τk_I and e_i^E W_K + τk_E, [d_a] each: reusable across users. */
export function attentionKeys(eI: Float32Array, eE: Float32Array, p: AttentionValues): [Float64Array, Float64Array] {
  const { userDim: n, attentionDim: d } = p;
  const out: [Float64Array, Float64Array] = [new Float64Array(d), new Float64Array(d)];
  const rows = [eI, eE];
  for (let b = 0; b < 2; b++) {
    for (let r = 0; r < d; r++) {
      let s = p.tk[b * d + r];
      for (let k = 0; k < n; k++) s += rows[b][k] * p.Wk[k * d + r];
      out[b][r] = s;
    }
  }
  return out;
}

/**
 * (α_I, α_E) of one pair, computed the textbook way: build the two tokens' queries and keys, the 2 x 2 score
 * matrix, its row softmax and the column means. An independent path from `attentionWeights`, used for explanations.
 */
export function pairAttention(
  eu: Float32Array,
  eI: Float32Array,
  eE: Float32Array,
  p: AttentionValues,
  queries?: [Float64Array, Float64Array],
  keys?: [ArrayLike<number>, ArrayLike<number>],
): [number, number] {
  const { attentionDim: d } = p;
  const q = queries ?? attentionQueries(eu, p);
  const k = keys ?? attentionKeys(eI, eE, p);
  const alpha: [number, number] = [0, 0];
  for (let a = 0; a < 2; a++) {
    const logits = [0, 1].map((b) => {
      let s = 0;
      for (let r = 0; r < d; r++) s += q[a][r] * k[b][r];
      return s / Math.sqrt(d);
    });
    const top = Math.max(logits[0], logits[1]);
    const e0 = Math.exp(logits[0] - top);
    const e1 = Math.exp(logits[1] - top);
    alpha[0] += e0 / (e0 + e1) / 2;
    alpha[1] += e1 / (e0 + e1) / 2;
  }
  return alpha;
}
