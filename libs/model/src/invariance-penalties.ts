// The three invariance penalties behind EIOR's one switch (docs/method.md#3-invariant-part): InvRL's gradient variance,
// IRMv1 (Arjovsky et al. 2019, Eq. on the dummy classifier w = 1) and V-REx (Krueger et al. 2021, Var_e R_e).
// All work on UltraGCN's L_L of a batch whose rows (positive pairs) each belong to one environment.
import * as tf from '@tensorflow/tfjs';

export const INVARIANCE_PENALTIES = ['variance', 'irmv1', 'vrex'] as const;
export type InvariancePenalty = (typeof INVARIANCE_PENALTIES)[number];

/** Per-row weights of L_L: w1 + w2 β_u β_i for the positive, w3 + w4 β_u β_j for each negative. */
export interface RowLossWeights {
  positive: tf.Tensor1D; // [batch]
  negative: tf.Tensor2D; // [batch, negatives]
  negativeWeight: number;
}

/**
 * ℓ_b(w) = pos_b softplus(−w s_b0) + negative_weight · mean_n neg_bn softplus(w s_bn) at w = 1, [batch]:
 * each row's share of L_L, `scores` [batch, 1 + negatives].
 */
export function rowLosses(scores: tf.Tensor2D, weights: RowLossWeights): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch] = scores.shape;
    const negatives = weights.negative.shape[1];
    const pos = tf.reshape(tf.slice(scores, [0, 0], [batch, 1]), [batch]);
    const neg = tf.slice(scores, [0, 1], [batch, negatives]);
    const posLoss = tf.mul(weights.positive, tf.softplus(tf.neg(pos)));
    const negLoss = tf.mul(tf.mean(tf.mul(weights.negative, tf.softplus(neg)), -1), weights.negativeWeight);
    return tf.add(posLoss, negLoss) as tf.Tensor1D;
  });
}

/** ψ = ∂ℓ_b/∂s per slot, [batch, 1 + negatives]: pos·(σ(s) − 1) for the positive, negative_weight·neg·σ(s)/n after. */
export function lossSlopes(scores: tf.Tensor2D, weights: RowLossWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch] = scores.shape;
    const negatives = weights.negative.shape[1];
    const pos = tf.slice(scores, [0, 0], [batch, 1]);
    const neg = tf.slice(scores, [0, 1], [batch, negatives]);
    const posSlope = tf.mul(tf.expandDims(weights.positive, 1), tf.sub(tf.sigmoid(pos), 1));
    const negSlope = tf.mul(weights.negative, tf.mul(tf.sigmoid(neg), weights.negativeWeight / negatives));
    return tf.concat([posSlope, negSlope], 1) as tf.Tensor2D;
  });
}

/** Environment membership of a batch's rows as a row-normalised [present environments, batch] averaging matrix. */
export function environmentAverager(rowEnv: Int32Array, numEnvs: number): tf.Tensor2D | null {
  const counts = new Int32Array(numEnvs);
  for (const e of rowEnv) counts[e]++;
  const present = [...counts.keys()].filter((e) => counts[e] > 0);
  if (present.length === 0) return null;
  const slot = new Int32Array(numEnvs).fill(-1);
  present.forEach((e, k) => (slot[e] = k));
  const data = new Float32Array(present.length * rowEnv.length);
  rowEnv.forEach((e, b) => (data[slot[e] * rowEnv.length + b] = 1 / counts[e]));
  return tf.tensor2d(data, [present.length, rowEnv.length]);
}

/**
 * IRMv1: Σ_e (∂/∂w R_e(w · s) at w = 1)², R_e the mean row loss of environment e. Since ℓ(w s) has
 * ∂/∂w = Σ_slots ψ · s at w = 1, the penalty needs no second pass: D_e = mean_(b ∈ e) Σ_s ψ_bs s_bs.
 */
export function irmV1Penalty(scores: tf.Tensor2D, weights: RowLossWeights, averager: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const perRow = tf.sum(tf.mul(lossSlopes(scores, weights), scores), -1); // [batch]
    const perEnv = tf.matMul(averager, tf.expandDims(perRow, 1)); // [envs, 1]
    return tf.sum(tf.square(perEnv)) as tf.Scalar;
  });
}

/** V-REx: the variance over environments of their mean row loss. */
export function vrexPenalty(rows: tf.Tensor1D, averager: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const perEnv = tf.matMul(averager, tf.expandDims(rows, 1)); // [envs, 1]
    return tf.moments(perEnv).variance as tf.Scalar;
  });
}

/**
 * InvRL's penalty: Σ_kj ( Σ_e (G_e − Ḡ)²_kj · (μ_k + 0.5) )², G_e = ∂L_e/∂W [d, featureDim] for each environment
 * of the step and μ the mask logits [d] (so the variance of a dimension the mask shuts costs less). With `noise`,
 * each environment's sampling variance of G_e [ours], the spread is first debiased: max(0, spread − (1 − 1/E) Σ_e
 * noise_e), so that a column is not punished for the sampling noise every column has; `linear` [ours] then
 * weighs the debiased spread once, Σ_kj spread_kj (μ_k + 0.5), unfloored and unsquared, so that its expectation
 * is 0 for a column whose gradient is the same in every environment, however large that gradient is.
 */
export function gradientVariancePenalty(grads: tf.Tensor2D[], mu: tf.Tensor1D, noise?: tf.Tensor2D[], linear = false): tf.Scalar {
  return tf.tidy(() => {
    const stacked = tf.stack(grads); // [envs, d, featureDim]
    const mean = tf.mean(stacked, 0);
    let spread = tf.sum(tf.square(tf.sub(stacked, mean)), 0); // [d, featureDim]
    if (noise) {
      // E[Σ_e (G_e − Ḡ)²] = (1 − 1/E) Σ_e Var(G_e) when the environments do not differ: what is left is their difference
      const expected = tf.mul(tf.sum(tf.stack(noise), 0), 1 - 1 / grads.length);
      spread = tf.sub(spread, expected);
      // linear: an unbiased estimate of the environments' difference, zero in expectation for a column without one
      if (linear) return tf.sum(tf.mul(spread, tf.expandDims(tf.add(mu, 0.5), 1))) as tf.Scalar;
      spread = tf.relu(spread);
    }
    return tf.sum(tf.square(tf.mul(spread, tf.expandDims(tf.add(mu, 0.5), 1)))) as tf.Scalar;
  });
}
