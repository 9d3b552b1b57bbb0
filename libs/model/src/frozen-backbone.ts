// A trained UltraGCN with everything frozen but a feature projection, as InvRL's environment models and its
// mask learner use it (nickwzk/InvRL FrontModel / backmodel; docs/method.md#2-environments and #3-invariant-part): the score of a slot is
// s = e_u_id · V_i (constant) + (W_eu_f ⊙ g) · x_i + e_u_f · b, with W [d, featureDim] trained and g an optional gate.
import * as tf from '@tensorflow/tfjs';
import { ModelError } from './errors';
import { KernelArena } from './kernel-arena';
import type { GraphStats } from './graph-stats';
import type { ItemFeatures } from './features';
import { ConstantTable, featureDot, gatheredDotForward, gatherRows, matMulPlain } from './sparse-ops';
import type { TrainBatch, WeightSnapshot } from './types';
import type { RowLossWeights } from './invariance-penalties';

export interface FrozenBackbone {
  numUsers: number;
  numItems: number;
  idDim: number;
  /** Width of what the projections read of the user, `userFeature`: e_u's feature part, or all of e_u. */
  featureDim: number;
  /** e_u's ID part [numUsers, idDim] and what the projections read, [numUsers, featureDim]. */
  userId: Float32Array;
  userFeature: Float32Array;
  /** V [numItems, idDim] */
  itemId: Float32Array;
  x: ItemFeatures;
  table: ConstantTable;
  stats: GraphStats;
  /** w1..w4 and negative_weight of L_L. */
  loss: { w1: number; w2: number; w3: number; w4: number; negativeWeight: number };
}

/** Splits a trained multimodal UltraGCN's weights into the frozen parts. */
export function freezeBackbone(
  weights: WeightSnapshot,
  dims: { idDim: number; featureDim: number },
  x: ItemFeatures,
  stats: GraphStats,
  loss: FrozenBackbone['loss'],
  /** Rows and slots of the largest featureDot call, to size the SIMD scratch (no SIMD when absent). */
  calls?: { rows: number; slots: number },
  /**
   * What the trainable projections read of the user: `feature`, e_u's feature part (InvRL); `whole`, all of e_u,
   * ID part included, so that `userFeature` is [numUsers, idDim + featureDim] (docs/method.md#3-invariant-part).
   */
  userSide: 'feature' | 'whole' = 'feature',
): FrozenBackbone {
  const user = weights.get('user');
  const itemId = weights.get('itemId');
  const { idDim, featureDim } = dims;
  const width = idDim + featureDim;
  if (!user || !itemId || user.length !== stats.numUsers * width || itemId.length !== stats.numItems * idDim) {
    throw new ModelError('BAD_USER_INPUT', `backbone weights do not match ${stats.numUsers} users x ${width} and ${stats.numItems} items x ${idDim}: train the multimodal UltraGCN first`);
  }
  const userId = new Float32Array(stats.numUsers * idDim);
  const readWidth = userSide === 'whole' ? width : featureDim;
  const userFeature = new Float32Array(stats.numUsers * readWidth);
  for (let u = 0; u < stats.numUsers; u++) {
    userId.set(user.subarray(u * width, u * width + idDim), u * idDim);
    userFeature.set(user.subarray((u + 1) * width - readWidth, (u + 1) * width), u * readWidth);
  }
  return {
    numUsers: stats.numUsers,
    numItems: stats.numItems,
    idDim,
    featureDim: readWidth,
    userId,
    userFeature,
    itemId,
    x,
    table: new ConstantTable(simdCopy(x.data, x.width, calls), x.numItems, x.width),
    stats,
    loss,
  };
}

/** x in a KernelArena, so the feature dots of projection-only training run the SIMD kernels. */
function simdCopy(data: Float32Array, width: number, calls: { rows: number; slots: number } | undefined): Float32Array {
  const arena = calls ? KernelArena.create(data.length, 2 * calls.rows * width + 3 * calls.rows * calls.slots) : null;
  if (!arena) return data;
  const copy = arena.alloc(data.length);
  copy.set(data);
  return copy;
}

/** One batch laid out for projection-only training: slot 0 the positive, then the negatives. */
export interface ProjectionBatch {
  rows: number;
  slots: number;
  items: Int32Array; // [rows * slots]
  /** e_u_id · V_i of every slot, constant, [rows * slots] */
  idScores: Float32Array;
  /** e_u_f of every row, [rows * featureDim] */
  userFeature: Float32Array;
  /** L_L weights as plain arrays; `lossWeights` turns them into tensors inside a tidy scope. */
  positive: Float32Array; // [rows]
  negative: Float32Array; // [rows * negatives]
}

/**
 * `withIdPart` false leaves the frozen e_u_id · V_i out of every slot's score (all zeros), so the projection must
 * explain the pairs from content alone (`mask.contentOnly`, docs/method.md#3-invariant-part).
 */
export function prepareProjectionBatch(bb: FrozenBackbone, batch: TrainBatch, withIdPart = true): ProjectionBatch {
  const rows = batch.users.length;
  const negatives = batch.negItems.length / rows;
  const slots = 1 + negatives;
  const items = new Int32Array(rows * slots);
  const positive = new Float32Array(rows);
  const negative = new Float32Array(rows * negatives);
  const { betaUser, betaItem } = bb.stats;
  const { w1, w2, w3, w4 } = bb.loss;
  for (let r = 0; r < rows; r++) {
    const bu = betaUser[batch.users[r]];
    items[r * slots] = batch.posItems[r];
    positive[r] = w1 + w2 * bu * betaItem[batch.posItems[r]];
    for (let n = 0; n < negatives; n++) {
      const j = batch.negItems[r * negatives + n];
      items[r * slots + 1 + n] = j;
      negative[r * negatives + n] = w3 + w4 * bu * betaItem[j];
    }
  }
  const userId = gatherRows(bb.userId, bb.idDim, batch.users);
  return {
    rows,
    slots,
    items,
    idScores: withIdPart ? gatheredDotForward(userId, bb.itemId, bb.idDim, items, slots) : new Float32Array(rows * slots),
    userFeature: gatherRows(bb.userFeature, bb.featureDim, batch.users),
    positive,
    negative,
  };
}

export function lossWeights(bb: FrozenBackbone, batch: ProjectionBatch): RowLossWeights {
  const negatives = batch.slots - 1;
  return {
    positive: tf.tensor1d(batch.positive),
    negative: tf.tensor2d(batch.negative, [batch.rows, negatives]),
    negativeWeight: bb.loss.negativeWeight,
  };
}

/**
 * Scores [rows, slots] with a trainable projection W [d, featureDim], bias b [featureDim] (or none) and gate g [d]
 * (or none): the user side is projected, (e_u_f Wᵀ) ⊙ g, then dotted with each slot's x_i.
 */
export function projectionScores(
  bb: FrozenBackbone,
  batch: ProjectionBatch,
  W: tf.Tensor2D,
  b: tf.Tensor1D | null,
  gate: tf.Tensor1D | null,
): { scores: tf.Tensor2D; userFeature: tf.Tensor2D; query: tf.Tensor2D } {
  const userFeature = tf.tensor2d(batch.userFeature, [batch.rows, bb.featureDim]);
  let query = matMulPlain(userFeature, tf.transpose(W)); // [rows, d]
  if (gate) query = tf.mul(query, gate);
  let scores = tf.add(featureDot(query, bb.table, batch.items, batch.slots), tf.tensor2d(batch.idScores, [batch.rows, batch.slots]));
  if (b) scores = tf.add(scores, tf.sum(tf.mul(userFeature, b), -1, true));
  return { scores: scores as tf.Tensor2D, userFeature, query };
}

/**
 * The score every environment model gives each train edge's feature part, (x_i W_e + b_e) · e_u_f: the ID part
 * is the same for all models and cannot change an argmax, so it is left out. Returns [edges, models].
 */
export function scoreEdgesByProjections(
  bb: FrozenBackbone,
  users: Int32Array,
  items: Int32Array,
  projections: { W: Float32Array; b: Float32Array }[],
): Float32Array {
  const f = bb.featureDim;
  const d = bb.x.width;
  const out = new Float32Array(users.length * projections.length);
  projections.forEach(({ W, b }, e) => {
    const P = tf.tidy(() => tf.add(tf.matMul(bb.table.asTensor(), tf.tensor2d(W, [d, f])), tf.tensor1d(b)).dataSync() as Float32Array); // [numItems, f]
    for (let k = 0; k < users.length; k++) {
      const uo = users[k] * f;
      const io = items[k] * f;
      let s = 0;
      for (let c = 0; c < f; c++) s += P[io + c] * bb.userFeature[uo + c];
      out[k * projections.length + e] = s;
    }
  });
  return out;
}
