// EIOR's training-time math (docs/method.md#5-fusion and #6-training-objective), as ultragcn-loss.ts is UltraGCN's: the fused rating
// ŷ = α_I s_I + α_E s_E and both branch scores for a batch's slots, and the IRMv1 term on the invariant branch.
import * as tf from '@tensorflow/tfjs';
import { attentionWeights, type AttentionTensors } from './attention';
import type { FusionConfig } from './eior-config';
import { environmentAverager, irmV1Penalty } from './invariance-penalties';
import { featureDot, gatheredDot, matMulPlain, type ConstantTable, type RowTable } from './sparse-ops';
import type { LossWeights } from './ultragcn-loss';

export type Branch = 'invariant' | 'variant';

/** What the slot scores read besides the step's leaf tensors. */
export interface SlotContext {
  /** V, whose gradient buffer receives ∂/∂V sparsely */
  itemIds: RowTable;
  /** x, unmasked, [numItems, d] */
  x: ConstantTable;
  /** m and 1 − m, [d] each */
  masks: Record<Branch, Float32Array>;
  idDim: number;
  featureDim: number;
  fusion: FusionConfig;
}

export interface SlotScores {
  rating: tf.Tensor2D; // [rows, slots] ŷ
  invariant: tf.Tensor2D; // [rows, slots] s_I
  variant: tf.Tensor2D; // [rows, slots] s_E
}

export function attentionTensors(t: Map<string, tf.Tensor>): AttentionTensors {
  return { Wq: t.get('Wq') as tf.Tensor2D, Wk: t.get('Wk') as tf.Tensor2D, tq: t.get('tq') as tf.Tensor2D, tk: t.get('tk') as tf.Tensor2D };
}

/**
 * ŷ, s_I and s_E for `slots` items per row from the step's leaf tensors `t` (user rows, W_I, b_I, W_E, b_E and the
 * fusion's parameters). Both branches share e_u_id · V_i, so it is computed once. Every feature dot reads the
 * unmasked x with the mask folded into the user side, e_u_f · W_I (x ⊙ m) = ((W_I e_u_f) ⊙ m) · x, so one call
 * serves both branches; and the attention needs only differences across branches, since the softmax over b sees
 * q_a · k_b only through q_a · (k_I − k_E): the ID parts cancel and the two feature dots of each query become one.
 */
export function fusedSlotScores(t: Map<string, tf.Tensor>, ctx: SlotContext, items: Int32Array, slots: number): SlotScores {
  const userRows = t.get('user') as tf.Tensor2D;
  const rows = userRows.shape[0];
  const { idDim, featureDim, fusion } = ctx;
  const idScores = gatheredDot(tf.slice(userRows, [0, 0], [rows, idDim]) as tf.Tensor2D, ctx.itemIds, items, slots); // [rows, slots]
  const projection = (branch: Branch) => {
    const suffix = branch === 'invariant' || fusion.sharedProjection ? 'I' : 'E';
    return { W: t.get(`W_${suffix}`) as tf.Tensor2D, b: t.get(`b_${suffix}`) as tf.Tensor1D };
  };
  const pI = projection('invariant');
  const pE = projection('variant');
  const mI = tf.tensor1d(ctx.masks.invariant);
  const mE = tf.tensor1d(ctx.masks.variant);
  const WIt = tf.transpose(pI.W) as tf.Tensor2D;
  const WEt = tf.transpose(pE.W) as tf.Tensor2D;
  const tiled = new Int32Array(items.length * 2);
  tiled.set(items);
  tiled.set(items, items.length);
  /** a · x and b · x for every slot, as one featureDot over both left sides */
  const twoDots = (a: tf.Tensor2D, b: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] => {
    const both = featureDot(tf.concat([a, b], 0) as tf.Tensor2D, ctx.x, tiled, slots); // [2 rows, slots]
    return [tf.slice(both, [0, 0], [rows, slots]) as tf.Tensor2D, tf.slice(both, [rows, 0], [rows, slots]) as tf.Tensor2D];
  };
  const featureRows = (m: tf.Tensor2D) => tf.slice(m, [0, idDim], [rows, featureDim]) as tf.Tensor2D;
  const biasDot = (l: tf.Tensor2D, b: tf.Tensor1D) => tf.sum(tf.mul(l, b), -1, true); // [rows, 1]
  const userFeat = featureRows(userRows);
  const [xI, xE] = twoDots(tf.mul(matMulPlain(userFeat, WIt), mI) as tf.Tensor2D, tf.mul(matMulPlain(userFeat, WEt), mE) as tf.Tensor2D);
  const invariant = tf.add(idScores, tf.add(xI, biasDot(userFeat, pI.b))) as tf.Tensor2D;
  const variant = tf.add(idScores, tf.add(xE, biasDot(userFeat, pE.b))) as tf.Tensor2D;
  let alphaI: tf.Tensor;
  if (fusion.kind === 'attention') {
    const att = attentionTensors(t);
    const { query, userSide } = attentionWeights.userSide(userRows, att);
    // (W_K q_a)_f · (e_i^I − e_i^E)_f for a = 1, 2: both queries through D = W_Iᵀ ⊙ m − W_Eᵀ ⊙ (1 − m) [featureDim, d]
    const D = tf.sub(tf.mul(WIt, mI), tf.mul(WEt, mE)) as tf.Tensor2D;
    const g1 = featureRows(userSide[0]);
    const g2 = featureRows(userSide[1]);
    const [d1, d2] = twoDots(matMulPlain(g1, D), matMulPlain(g2, D));
    const bDiff = tf.sub(pI.b, pE.b) as tf.Tensor1D;
    alphaI = attentionWeights.combine(query, att, { d1: tf.add(d1, biasDot(g1, bDiff)) as tf.Tensor2D, d2: tf.add(d2, biasDot(g2, bDiff)) as tf.Tensor2D }, fusion.attentionDim);
  } else if (fusion.kind === 'global') {
    const theta = t.get('theta') as tf.Tensor1D;
    alphaI = tf.sigmoid(tf.sub(tf.slice(theta, [0], [1]), tf.slice(theta, [1], [1])));
  } else {
    alphaI = tf.scalar(0.5);
  }
  const rating = tf.add(tf.mul(alphaI, invariant), tf.mul(tf.sub(1, alphaI), variant)) as tf.Tensor2D;
  return { rating, invariant, variant };
}

/** Σ_e IRMv1_e on the invariant branch's L_L slots (positive and negatives; the neighbour slots are L_I's). */
export function invariantIrmTerm(invariant: tf.Tensor2D, weights: LossWeights, negatives: number, rowEnv: Int32Array, numEnvs: number, negativeWeight: number): tf.Scalar {
  const rows = invariant.shape[0];
  const averager = environmentAverager(rowEnv, numEnvs);
  if (!averager) return tf.scalar(0);
  const scores = tf.slice(invariant, [0, 0], [rows, 1 + negatives]) as tf.Tensor2D;
  return irmV1Penalty(scores, { positive: weights.positive, negative: weights.negative, negativeWeight }, averager);
}
