// The math of UltraGCN in one place (docs/method.md#1-backbone): the score s(u, i) = e_u · e_i with the multimodal item
// e_i = [V_i ; W x_i + b] of InvRL, the loss L_L with w1..w4, β and negative_weight, and the item-item loss L_I.
import * as tf from '@tensorflow/tfjs';
import type { GraphStats } from './graph-stats';
import type { TrainBatch } from './types';
import { featureDot, gatheredDot, matMulPlain, type ConstantTable, type FeatureDotStrategy, type RowTable } from './sparse-ops';

/** The feature part of the score: W [featureWidth, featureDim], b [featureDim], x from `table`. */
export interface FeatureScoreInputs {
  W: tf.Tensor2D; // [d, featureDim]
  b: tf.Tensor1D; // [featureDim]
  table: ConstantTable; // x_i, [numItems, d]
  strategy: FeatureDotStrategy;
}

export interface SlotScoreInputs {
  /** e_u = [ID part ; feature part], [batch, idDim (+ featureDim)]; must be differentiated for V to get its gradient */
  userRows: tf.Tensor2D;
  /** V, [numItems, idDim]; its `grad` buffer, when present, receives ∂/∂V sparsely */
  itemIds: RowTable;
  /** The item of every slot, [batch * slots] */
  items: Int32Array;
  slots: number;
  feature?: FeatureScoreInputs;
}

/**
 * s(u, i) for `slots` items per user, [batch, slots]. The feature part is computed from the user side:
 * e_u_f · (W x_i + b) = (W e_u_f) · x_i + e_u_f · b, so only the batch's users are projected.
 */
export function slotScores(inputs: SlotScoreInputs): tf.Tensor2D {
  return tf.tidy(() => {
    const { userRows, itemIds, items, slots, feature } = inputs;
    const batch = userRows.shape[0];
    const idDim = itemIds.width;
    const userId = feature ? tf.slice(userRows, [0, 0], [batch, idDim]) : userRows; // [batch, idDim]
    let scores = gatheredDot(userId, itemIds, items, slots); // [batch, slots] = e_u_id · V_i
    if (feature) {
      const featureDim = feature.b.shape[0];
      const userFeat = tf.slice(userRows, [0, idDim], [batch, featureDim]); // [batch, featureDim]
      const q = matMulPlain(userFeat, tf.transpose(feature.W)); // [batch, d] = W e_u_f per user
      const fromX = featureDot(q, feature.table, items, slots, feature.strategy); // [batch, slots]
      const fromBias = tf.sum(tf.mul(userFeat, feature.b), -1, true); // [batch, 1]
      scores = tf.add(scores, tf.add(fromX, fromBias)) as tf.Tensor2D;
    }
    return scores;
  });
}

/** e_i for every item, [numItems, idDim (+ featureDim)]: V alone, or [V ; X W + b]. */
export function itemEmbeddings(V: tf.Tensor2D, feature?: { W: tf.Tensor2D; b: tf.Tensor1D; X: tf.Tensor2D }): tf.Tensor2D {
  return tf.tidy(() => {
    if (!feature) return tf.clone(V);
    const projected = tf.add(matMulPlain(feature.X, feature.W), feature.b) as tf.Tensor2D; // [numItems, featureDim]
    return tf.concat([V, projected], 1);
  });
}

/** Per-slot weights of one batch: slot 0 is the positive, then `negatives` negatives, then K neighbours. */
export interface LossWeights {
  /** w1 + w2 β_u β_i, [batch] */
  positive: tf.Tensor1D;
  /** w3 + w4 β_u β_j, [batch, negatives] */
  negative: tf.Tensor2D;
  /** ω_ij of the positive's neighbours, [batch, K]; absent when L_I is off */
  neighbor?: tf.Tensor2D;
}

export interface LossTerms {
  /** L_L = Σ (w1 + w2 β_u β_i) BCE(s_ui, 1) + negative_weight Σ mean_j (w3 + w4 β_u β_j) BCE(s_uj, 0) */
  lossL: tf.Scalar;
  /** L_I = −Σ Σ_(j ∈ S(i)) ω_ij log σ(s_uj); zero when there are no neighbour slots */
  lossI: tf.Scalar;
}

/** How L_L reads a row's positive and negatives: UltraGCN's weighted BCE, or a sampled softmax over them. */
export interface DataLossOptions {
  negativeWeight: number;
  /** τ of the sampled softmax [Wu et al. 2023]; 0 keeps UltraGCN's BCE. */
  softmaxTemperature: number;
}

/**
 * UltraGCN's L_L and L_I (official cal_loss_L, cal_loss_I), summed over the batch. With a softmax temperature τ > 0,
 * L_L is instead the sampled softmax −log(exp(s_ui/τ) / (exp(s_ui/τ) + Σ_j exp(s_uj/τ))) of each row (its positive
 * against its uniformly drawn negatives; w1..w4 and negative_weight then unused).
 */
export function ultraGcnLossTerms(scores: tf.Tensor2D, weights: LossWeights, options: DataLossOptions): LossTerms {
  const { negativeWeight, softmaxTemperature } = options;
  return tf.tidy(() => {
    const [batch, slots] = scores.shape;
    const negatives = weights.negative.shape[1];
    const neighbors = weights.neighbor ? weights.neighbor.shape[1] : 0;
    if (1 + negatives + neighbors !== slots) {
      throw new RangeError(`scores have ${slots} slots; expected 1 + ${negatives} negatives + ${neighbors} neighbours`);
    }
    let lossL: tf.Scalar;
    if (softmaxTemperature > 0) {
      const logits = tf.div(tf.slice(scores, [0, 0], [batch, 1 + negatives]), softmaxTemperature); // [batch, 1 + negatives]
      const pos = tf.reshape(tf.slice(logits, [0, 0], [batch, 1]), [batch]);
      lossL = tf.sum(tf.sub(tf.logSumExp(logits, -1), pos));
    } else {
      const pos = tf.reshape(tf.slice(scores, [0, 0], [batch, 1]), [batch]); // [batch]
      const neg = tf.slice(scores, [0, 1], [batch, negatives]); // [batch, negatives]
      // BCE(s, 1) = softplus(−s), BCE(s, 0) = softplus(s): stable for large |s|
      const posLoss = tf.sum(tf.mul(weights.positive, tf.softplus(tf.neg(pos))));
      const negLoss = tf.sum(tf.mean(tf.mul(weights.negative, tf.softplus(neg)), -1));
      lossL = tf.add(posLoss, tf.mul(negLoss, negativeWeight)) as tf.Scalar;
    }
    let lossI: tf.Scalar = tf.scalar(0);
    if (weights.neighbor && neighbors > 0) {
      const nb = tf.slice(scores, [0, 1 + negatives], [batch, neighbors]); // [batch, K]
      lossI = tf.sum(tf.mul(weights.neighbor, tf.softplus(tf.neg(nb)))); // −log σ(s) = softplus(−s)
    }
    return { lossL, lossI };
  });
}

/** A batch laid out in slots: per row the positive, its negatives, then the positive's K neighbours (when λ > 0). */
export interface SlotLayout {
  rows: number;
  slots: number;
  negatives: number;
  neighbors: number;
  items: Int32Array; // [rows * slots]
  positive: Float32Array; // [rows] w1 + w2 β_u β_i
  negative: Float32Array; // [rows * negatives] w3 + w4 β_u β_j
  neighbor: Float32Array; // [rows * neighbors] ω_ij
}

export function layoutSlots(
  batch: TrainBatch,
  stats: GraphStats,
  config: { w1: number; w2: number; w3: number; w4: number; lambda: number },
): SlotLayout {
  const { users, posItems, negItems } = batch;
  const rows = users.length;
  const { w1, w2, w3, w4, lambda } = config;
  const { betaUser, betaItem, neighbors: nbItems, neighborWeights } = stats;
  const negatives = negItems.length / rows;
  const k = lambda > 0 ? stats.neighborNum : 0;
  const slots = 1 + negatives + k;
  const items = new Int32Array(rows * slots);
  const positive = new Float32Array(rows);
  const negative = new Float32Array(rows * negatives);
  const neighbor = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const bu = betaUser[users[r]];
    const i = posItems[r];
    items[r * slots] = i;
    positive[r] = w1 + w2 * bu * betaItem[i];
    for (let n = 0; n < negatives; n++) {
      const j = negItems[r * negatives + n];
      items[r * slots + 1 + n] = j;
      negative[r * negatives + n] = w3 + w4 * bu * betaItem[j];
    }
    for (let s = 0; s < k; s++) {
      items[r * slots + 1 + negatives + s] = nbItems[i * k + s];
      neighbor[r * k + s] = neighborWeights[i * k + s];
    }
  }
  return { rows, slots, negatives, neighbors: k, items, positive, negative, neighbor };
}

/** The layout's weights as tensors (inside the caller's tidy scope). */
export function slotLossWeights(layout: SlotLayout): LossWeights {
  return {
    positive: tf.tensor1d(layout.positive),
    negative: tf.tensor2d(layout.negative, [layout.rows, layout.negatives]),
    neighbor: layout.neighbors > 0 ? tf.tensor2d(layout.neighbor, [layout.rows, layout.neighbors]) : undefined,
  };
}
