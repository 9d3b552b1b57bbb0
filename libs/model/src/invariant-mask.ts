// The invariant part's feature mask (docs/method.md#3-invariant-part; InvRL backend): on the frozen backbone, a fresh
// projection W and the gate logits μ are trained with one batch per environment per step on
//   mean_e L_e + α · penalty + λ_m Σ μ_j²,   gate m = clamp(μ + 0.5 + σε, 0, 1),
// and the mask is clamp(μ + 0.5, 0, 1). The penalty is InvRL's gradient variance (losses summed over the batch
// as InvRL's code does), IRMv1 or V-REx (per-row mean losses, so their scale does not depend on batch size).
import * as tf from '@tensorflow/tfjs';
import { Adam, type AdamParameter } from './adam';
import { SharedScaleAdam } from './shared-scale-adam';
import type { MaskConfig, MaskSplit } from './eior-config';
import { environmentMembers } from './environments';
import { lossWeights, prepareProjectionBatch, projectionScores, type FrozenBackbone, type ProjectionBatch } from './frozen-backbone';
import { environmentAverager, gradientVariancePenalty, irmV1Penalty, lossSlopes, rowLosses, vrexPenalty } from './invariance-penalties';
import type { Random } from './random';
import { shuffledBatches, type NegativeSampler } from './sampler';
import { gatheredSum } from './sparse-ops';
import type { EdgeList, TrainBatch } from './types';

export interface MaskEpoch {
  epoch: number;
  /** Means over the epoch's steps. */
  loss: number;
  penalty: number;
  /** Share of mask entries above 0.5 at the end of the epoch. */
  kept: number;
}

export interface LearnedMask {
  /** m = clamp(μ + 0.5, 0, 1), [d] */
  mask: Float32Array;
  mu: Float32Array;
  /** The content projection W [d, featureDim] the mask was learned with. */
  projection: Float32Array;
  epochs: MaskEpoch[];
}

export interface MaskContext {
  backbone: FrozenBackbone;
  train: EdgeList;
  sampler: NegativeSampler;
  rng: Random;
  batchSize: number;
  onEpoch?: (epoch: MaskEpoch) => void;
}

/** Learns the mask for the given environments; `alpha` and `lambdaMu` are this alternation's (grown) weights. */
export async function learnMask(
  ctx: MaskContext,
  config: MaskConfig,
  assignment: Int32Array,
  numEnvs: number,
  weights: { alpha: number; lambdaMu: number },
): Promise<LearnedMask> {
  const bb = ctx.backbone;
  const d = bb.x.width;
  const f = bb.featureDim;
  const W: AdamParameter = { name: 'W', value: ctx.rng.normalArray(d * f, 0.01), grad: new Float32Array(d * f), gamma: config.projectionGamma };
  // IRMv1 and V-REx take per-row mean losses, a batch-size-th of the variance penalty's summed ones: with
  // `rowScaledLambda`, λ_m shrinks with them, so that it weighs against the data term alike for every penalty
  const lambdaMu = config.rowScaledLambda && config.penalty !== 'variance' ? weights.lambdaMu / ctx.batchSize : weights.lambdaMu;
  // Adam's γθ is the gradient of γ/2 θ², so λ_m Σ μ² is γ = 2 λ_m
  const mu: AdamParameter = { name: 'mu', value: new Float32Array(d), grad: new Float32Array(d), gamma: 2 * lambdaMu };
  const adamW = new Adam([W], { lr: config.projectionLr, gamma: config.projectionGamma });
  const adamMu = config.muStep === 'shared' ? new SharedScaleAdam(mu, { lr: config.lr, gamma: 2 * lambdaMu }) : new Adam([mu], { lr: config.lr, gamma: 2 * lambdaMu });
  const members = environmentMembers(assignment, numEnvs).filter((m) => m.length > 0);
  const epochs: MaskEpoch[] = [];

  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    // one generator per environment, restarted when it runs out; an epoch is as many steps (one batch per
    // environment each) as make one pass over the train edges [ours: InvRL runs until the largest environment is
    // through, which costs E passes when one environment holds most edges]
    const generators = members.map((m) => shuffledBatches(ctx.train, ctx.batchSize, ctx.sampler, ctx.rng, m));
    const total = members.reduce((a, m) => a + m.length, 0);
    const stepsPerEpoch = Math.max(1, Math.ceil(total / (ctx.batchSize * members.length)));
    let steps = 0;
    let lossSum = 0;
    let penaltySum = 0;
    while (steps < stepsPerEpoch) {
      const batches: { env: number; batch: TrainBatch }[] = [];
      for (let e = 0; e < members.length; e++) {
        let next = generators[e].next();
        if (next.done) {
          generators[e] = shuffledBatches(ctx.train, ctx.batchSize, ctx.sampler, ctx.rng, members[e]);
          next = generators[e].next();
        }
        batches.push({ env: e, batch: next.value as TrainBatch });
      }
      const prepared = batches.map(({ batch }) => prepareProjectionBatch(bb, batch, !config.contentOnly));
      const noise = prepared.map(() => ctx.rng.normalArray(d, config.sigma));
      const { gW, gMu, loss, penalty } = maskStep(bb, config, prepared, noise, W.value, mu.value, weights.alpha);
      W.grad.set(gW);
      mu.grad.set(gMu);
      adamW.step();
      adamMu.step();
      steps++;
      lossSum += loss;
      penaltySum += penalty;
    }
    let kept = 0;
    for (let j = 0; j < d; j++) if (mu.value[j] + 0.5 > 0.5) kept++;
    const record = { epoch, loss: lossSum / Math.max(steps, 1), penalty: penaltySum / Math.max(steps, 1), kept: kept / d };
    epochs.push(record);
    ctx.onEpoch?.(record);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const mask = Float32Array.from(mu.value, (m) => Math.min(1, Math.max(0, m + 0.5)));
  return { mask, mu: mu.value.slice(), projection: W.value.slice(), epochs };
}

/** The gradient of the mask objective for one step (one batch per environment), and its two parts. */
export function maskStep(
  bb: FrozenBackbone,
  config: Pick<MaskConfig, 'penalty' | 'debias'> & Partial<Pick<MaskConfig, 'linearSpread'>>,
  batches: ProjectionBatch[],
  noise: Float32Array[],
  Wvalue: Float32Array,
  muValue: Float32Array,
  alpha: number,
): { gW: Float32Array; gMu: Float32Array; loss: number; penalty: number } {
  const d = bb.x.width;
  const f = bb.featureDim;
  let loss = 0;
  let penalty = 0;
  const result = tf.tidy(() => {
    const Wt = tf.tensor2d(Wvalue, [d, f]);
    const muT = tf.tensor1d(muValue);
    const grads = tf.grads((w: tf.Tensor, m: tf.Tensor) => {
      const W = w as tf.Tensor2D;
      const mu = m as tf.Tensor1D;
      const envLosses: tf.Scalar[] = [];
      const envGrads: tf.Tensor2D[] = [];
      const envNoise: tf.Tensor2D[] = [];
      const allRows: tf.Tensor1D[] = [];
      const allScores: tf.Tensor2D[] = [];
      const rowEnv: number[] = [];
      batches.forEach((batch, e) => {
        const gate = tf.clipByValue(tf.add(tf.add(mu, 0.5), tf.tensor1d(noise[e])), 0, 1) as tf.Tensor1D;
        const { scores, userFeature } = projectionScores(bb, batch, W, null, gate);
        const weights = lossWeights(bb, batch);
        const rows = rowLosses(scores, weights);
        if (config.penalty === 'variance') {
          envLosses.push(tf.sum(rows) as tf.Scalar);
          // ∂L_e/∂W_jk = g_j Σ_b R_bj e_u_f,bk with R_b = Σ_s ψ_bs x_(i_bs): written out so that it can be differentiated
          const R = gatheredSum(lossSlopes(scores, weights), bb.table, batch.items); // [rows, d]
          const G = tf.mul(tf.matMul(R, userFeature, true, false), tf.expandDims(gate, 1)) as tf.Tensor2D;
          envGrads.push(G);
          if (config.debias) {
            // the sampling variance of the summed gradient, Σ_b g_b² − G²/B with g_b,jk = m_j R_bj e_u,bk
            const squares = tf.mul(tf.matMul(tf.square(R), tf.square(userFeature), true, false), tf.expandDims(tf.square(gate), 1));
            envNoise.push(tf.sub(squares, tf.div(tf.square(G), batch.rows)) as tf.Tensor2D);
          }
        } else {
          envLosses.push(tf.mean(rows) as tf.Scalar);
          allRows.push(rows);
          allScores.push(scores);
          for (let r = 0; r < batch.rows; r++) rowEnv.push(e);
        }
      });
      const meanLoss = tf.mean(tf.stack(envLosses)) as tf.Scalar;
      let pen: tf.Scalar;
      if (config.penalty === 'variance') {
        pen = envGrads.length > 1 ? gradientVariancePenalty(envGrads, mu, config.debias ? envNoise : undefined, config.linearSpread) : tf.scalar(0);
      } else {
        const averager = environmentAverager(Int32Array.from(rowEnv), batches.length);
        if (!averager) {
          pen = tf.scalar(0);
        } else if (config.penalty === 'irmv1') {
          const slotsEqual = allScores.every((s) => s.shape[1] === allScores[0].shape[1]);
          if (!slotsEqual) throw new RangeError('irmv1: batches with different numbers of negatives');
          const weightsAll = {
            positive: tf.concat(batches.map((b) => tf.tensor1d(b.positive))) as tf.Tensor1D,
            negative: tf.concat(batches.map((b) => tf.tensor2d(b.negative, [b.rows, b.slots - 1]))) as tf.Tensor2D,
            negativeWeight: bb.loss.negativeWeight,
          };
          pen = irmV1Penalty(tf.concat(allScores) as tf.Tensor2D, weightsAll, averager);
        } else {
          pen = vrexPenalty(tf.concat(allRows) as tf.Tensor1D, averager);
        }
      }
      loss = meanLoss.dataSync()[0];
      penalty = pen.dataSync()[0];
      return tf.add(meanLoss, tf.mul(pen, alpha)) as tf.Scalar;
    })([Wt, muT]);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
  return { gW: result[0], gMu: result[1], loss, penalty };
}

/**
 * The learned mask rounded to 0 or 1: `half` keeps m > 0.5, `otsu` keeps the values above the split of the sorted
 * values with the largest between-group variance w_0 w_1 (mean_0 − mean_1)² (Otsu's method on one dimension; a mask
 * whose values are all equal has no split, and every column is kept), `outliers` keeps the columns that stand out
 * above the rest, a modified z-score (m − median) / (1.4826 MAD) above OUTLIER_Z (none when the MAD is 0).
 */
export function binarizeMask(mask: Float32Array, split: MaskSplit): Float32Array {
  if (split === 'half') return Float32Array.from(mask, (m) => (m > 0.5 ? 1 : 0));
  if (split === 'outliers') return outlierColumns(mask);
  const sorted = Float64Array.from(mask).sort();
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  let best = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  let lowerSum = 0;
  for (let k = 1; k < n; k++) {
    lowerSum += sorted[k - 1];
    if (sorted[k] === sorted[k - 1]) continue; // a split between equal values is no split
    const w0 = k / n;
    const gap = lowerSum / k - (total - lowerSum) / (n - k);
    const between = w0 * (1 - w0) * gap * gap;
    if (between > best) {
      best = between;
      threshold = (sorted[k - 1] + sorted[k]) / 2;
    }
  }
  return Float32Array.from(mask, (m) => (m > threshold ? 1 : 0));
}

/**
 * Iglewicz and Hoaglin's cut for outliers of a modified z-score, 0.6745 (x − median) / MAD > 3.5 [docs/method.md,
 * "Rounding the mask"]: a published constant, not one fitted to our data.
 */
export const OUTLIER_Z = 3.5;

/** The median of `values` (the mean of the middle two for an even count); NaN for none. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const h = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** 1 where (m − median) / (1.4826 MAD) > OUTLIER_Z, one-sided: only columns above the bulk are kept. */
function outlierColumns(mask: Float32Array): Float32Array {
  const center = median(mask);
  const mad = median(Float64Array.from(mask, (m) => Math.abs(m - center)));
  if (mad === 0) return new Float32Array(mask.length);
  return Float32Array.from(mask, (m) => ((m - center) / (1.4826 * mad) > OUTLIER_Z ? 1 : 0));
}
