// The invariance stage's own user side, `mask.userSide: taste` [ours] (docs/method.md#3-invariant-part): user
// content vectors p_u and a projection W fitted by plain pooled risk on content alone, s = (W p_u) · x_i with
// UltraGCN's L_L, so that the mask learner and the environment models read a user vector that carries content
// taste however little content the served backbone learned (its γ_W may keep its projection near zero).
import * as tf from '@tensorflow/tfjs';
import { Adam, type AdamParameter } from './adam';
import { lossWeights, prepareProjectionBatch, type FrozenBackbone } from './frozen-backbone';
import { rowLosses } from './invariance-penalties';
import type { Random } from './random';
import { shuffledBatches, type NegativeSampler } from './sampler';
import { featureDot, matMulPlain } from './sparse-ops';
import type { EdgeList } from './types';

export interface TasteSettings {
  /** One-pass epochs over the train edges. */
  epochs: number;
  /** Edges per step. */
  batchSize: number;
  lr: number;
  /** L2 weight on ½‖W‖² and ½‖P‖². */
  gamma: number;
}

export interface TasteEpoch {
  epoch: number;
  /** Mean over the epoch's steps of the batch's summed L_L. */
  loss: number;
}

/** Scale of p_u's start: the product W p_u must start small but not at zero, where both gradients vanish. */
const USER_INIT_STD = 0.1;
const PROJECTION_INIT_STD = 0.01;

/** What the taste fit returns: P [numUsers, featureDim] and W [d, featureDim], row-major. */
export interface UserTaste {
  users: Float32Array;
  projection: Float32Array;
}

/**
 * Fits P [numUsers, featureDim] and W [d, featureDim] on `backbone`'s x and loss weights (its user vectors are not
 * read). Users without train edges keep their random start.
 */
export async function fitUserTaste(
  backbone: FrozenBackbone,
  train: EdgeList,
  sampler: NegativeSampler,
  rng: Random,
  settings: TasteSettings,
  onEpoch?: (epoch: TasteEpoch) => void,
): Promise<UserTaste> {
  const f = backbone.featureDim;
  const d = backbone.x.width;
  const P: AdamParameter = { name: 'P', value: rng.normalArray(backbone.numUsers * f, USER_INIT_STD), grad: new Float32Array(backbone.numUsers * f) };
  const W: AdamParameter = { name: 'W', value: rng.normalArray(d * f, PROJECTION_INIT_STD), grad: new Float32Array(d * f) };
  await runTasteFit(backbone, P.value, P, W, train, undefined, sampler, rng, settings, onEpoch);
  return { users: P.value, projection: W.value };
}

/**
 * W alone refitted on the edges `subset` of `train` from `start`, with the users' vectors `users` held fixed: a
 * content model of one environment on the pooled taste (bench/model/stability-probe.ts compares them).
 */
export async function fitTasteProjection(
  backbone: FrozenBackbone,
  taste: UserTaste,
  train: EdgeList,
  subset: Int32Array,
  sampler: NegativeSampler,
  rng: Random,
  settings: TasteSettings,
): Promise<Float32Array> {
  const f = backbone.featureDim;
  if (taste.users.length !== backbone.numUsers * f) throw new RangeError(`fitTasteProjection: ${taste.users.length} user values; expected ${backbone.numUsers} x ${f}`);
  const W: AdamParameter = { name: 'W', value: taste.projection.slice(), grad: new Float32Array(taste.projection.length) };
  await runTasteFit(backbone, taste.users, null, W, train, subset, sampler, rng, settings);
  return W.value;
}

/**
 * One-pass epochs of L_L on s = (W p_u) · x_i over `train` (or its `subset`), p_u read from `users`; trains W and,
 * when given, P (whose value is `users`).
 */
async function runTasteFit(
  backbone: FrozenBackbone,
  users: Float32Array,
  P: AdamParameter | null,
  W: AdamParameter,
  train: EdgeList,
  subset: Int32Array | undefined,
  sampler: NegativeSampler,
  rng: Random,
  settings: TasteSettings,
  onEpoch?: (epoch: TasteEpoch) => void,
): Promise<void> {
  const f = backbone.featureDim;
  const d = backbone.x.width;
  const adam = new Adam(P ? [P, W] : [W], { lr: settings.lr, gamma: settings.gamma });
  // batches read the user rows from `users` (P's value, as it is trained)
  const bb: FrozenBackbone = { ...backbone, userFeature: users };
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    let steps = 0;
    let lossSum = 0;
    for (const batch of shuffledBatches(train, settings.batchSize, sampler, rng, subset)) {
      const prepared = prepareProjectionBatch(bb, batch, false);
      const { gW, gU, loss } = tf.tidy(() => {
        const Wt = tf.tensor2d(W.value, [d, f]);
        const Ut = tf.tensor2d(prepared.userFeature, [prepared.rows, f]);
        let value = 0;
        const grads = tf.grads((w: tf.Tensor, u: tf.Tensor) => {
          const query = matMulPlain(u as tf.Tensor2D, tf.transpose(w as tf.Tensor2D)); // [rows, d]
          const scores = featureDot(query, bb.table, prepared.items, prepared.slots);
          const total = tf.sum(rowLosses(scores, lossWeights(bb, prepared))) as tf.Scalar;
          value = total.dataSync()[0];
          return total;
        })([Wt, Ut]);
        return { gW: grads[0].dataSync() as Float32Array, gU: grads[1].dataSync() as Float32Array, loss: value };
      });
      W.grad.set(gW);
      if (P) {
        for (let r = 0; r < prepared.rows; r++) {
          const o = batch.users[r] * f;
          for (let k = 0; k < f; k++) P.grad[o + k] += gU[r * f + k];
        }
      }
      adam.step();
      steps++;
      lossSum += loss;
    }
    onEpoch?.({ epoch, loss: lossSum / Math.max(steps, 1) });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
