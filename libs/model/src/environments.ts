// Environments for IRM (docs/method.md#2-environments). InvRL's heterogeneous environment inference: every train edge
// starts in a random environment; each round trains one projection per environment on the frozen backbone (with
// an L1 pull off the columns the current mask keeps, so the environments differ by what the mask rejects), scores
// every edge with every environment model and moves it to the best one, until at most `tolerance` of the edges
// move or `maxRounds` is reached. Time windows [ours] are the simpler alternative when edges carry timestamps.
import * as tf from '@tensorflow/tfjs';
import { Adam, type AdamParameter } from './adam';
import type { EnvironmentConfig } from './eior-config';
import { ModelError } from './errors';
import { lossWeights, prepareProjectionBatch, projectionScores, scoreEdgesByProjections, type FrozenBackbone } from './frozen-backbone';
import { rowLosses } from './invariance-penalties';
import type { Random } from './random';
import { shuffledBatches, type NegativeSampler } from './sampler';
import type { EdgeList } from './types';

export interface EnvironmentRound {
  round: number;
  /** Edges that changed environment in this round. */
  moved: number;
  /** Edges per environment after the round. */
  sizes: number[];
  seconds: number;
}

export interface EnvironmentInference {
  /** Environment of each train edge, [edges], values 0..E-1. */
  assignment: Int32Array;
  rounds: EnvironmentRound[];
}

export interface InferenceContext {
  backbone: FrozenBackbone;
  train: EdgeList;
  sampler: NegativeSampler;
  rng: Random;
  batchSize: number;
  /** The current mask m [d] (zeros before the first mask is learned). */
  mask: Float32Array;
  onRound?: (round: EnvironmentRound) => void;
}

/** Edges of each environment, as index lists into the train EdgeList. */
export function environmentMembers(assignment: Int32Array, numEnvs: number): Int32Array[] {
  const counts = new Int32Array(numEnvs);
  for (const e of assignment) counts[e]++;
  const members = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(numEnvs);
  assignment.forEach((e, k) => (members[e][fill[e]++] = k));
  return members;
}

export async function inferEnvironments(
  ctx: InferenceContext,
  config: EnvironmentConfig,
): Promise<EnvironmentInference> {
  const E = config.numEnvironments;
  const n = ctx.train.users.length;
  let assignment = Int32Array.from({ length: n }, () => ctx.rng.nextInt(E)); // InvRL redraws them each alternation
  const rounds: EnvironmentRound[] = [];
  for (let round = 1; round <= config.maxRounds; round++) {
    const began = performance.now();
    const members = environmentMembers(assignment, E);
    const projections = [];
    for (let e = 0; e < E; e++) {
      projections.push(trainEnvironmentProjection(ctx, config, members[e]));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const scores = scoreEdgesByProjections(ctx.backbone, ctx.train.users, ctx.train.items, projections); // [edges, E]
    if (config.standardizeScores) standardizeColumns(scores, E);
    const next = new Int32Array(n);
    let moved = 0;
    for (let k = 0; k < n; k++) {
      let best = 0;
      for (let e = 1; e < E; e++) if (scores[k * E + e] > scores[k * E + best]) best = e;
      next[k] = best;
      if (best !== assignment[k]) moved++;
    }
    assignment = next;
    const sizes = Array.from(environmentMembers(assignment, E), (m) => m.length);
    const record = { round, moved, sizes, seconds: (performance.now() - began) / 1000 };
    rounds.push(record);
    ctx.onRound?.(record);
    if (moved <= config.tolerance * n) break;
  }
  return { assignment, rounds };
}

/**
 * Each environment model's scores standardised over all edges (mean 0, std 1) [ours]: a model fitted on more edges
 * scores everything higher, and a raw argmax then pulls nearly every edge into one environment within a round or two.
 */
function standardizeColumns(scores: Float32Array, E: number): void {
  const n = scores.length / E;
  for (let e = 0; e < E; e++) {
    let sum = 0;
    let sq = 0;
    for (let k = 0; k < n; k++) {
      const v = scores[k * E + e];
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    const std = Math.sqrt(Math.max(sq / n - mean * mean, 0)) || 1;
    for (let k = 0; k < n; k++) scores[k * E + e] = (scores[k * E + e] - mean) / std;
  }
}

/** One environment's projection W_e, b_e on the frozen backbone, trained on its edges (InvRL FrontModel.train). */
function trainEnvironmentProjection(ctx: InferenceContext, config: EnvironmentConfig, members: Int32Array): { W: Float32Array; b: Float32Array } {
  const bb = ctx.backbone;
  const d = bb.x.width;
  const f = bb.featureDim;
  const W: AdamParameter = { name: 'W', value: ctx.rng.normalArray(d * f, 0.01), grad: new Float32Array(d * f), gamma: config.projectionGamma };
  const b: AdamParameter = { name: 'b', value: new Float32Array(f), grad: new Float32Array(f), gamma: config.projectionGamma };
  if (members.length === 0) return { W: W.value, b: b.value };
  const adam = new Adam([W, b], { lr: config.lr, gamma: config.projectionGamma });
  const l1 = config.maskL1 / (d * f); // gradient of maskL1 · mean |W ⊙ m|
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (const batch of shuffledBatches(ctx.train, ctx.batchSize, ctx.sampler, ctx.rng, members)) {
      const prepared = prepareProjectionBatch(bb, batch);
      const [gW, gB] = tf.tidy(() => {
        const Wt = tf.tensor2d(W.value, [d, f]);
        const bt = tf.tensor1d(b.value);
        const grads = tf.grads((w: tf.Tensor, bias: tf.Tensor) => {
          const { scores } = projectionScores(bb, prepared, w as tf.Tensor2D, bias as tf.Tensor1D, null);
          return tf.sum(rowLosses(scores, lossWeights(bb, prepared))) as tf.Scalar;
        })([Wt, bt]);
        return grads.map((g) => g.dataSync() as Float32Array);
      });
      W.grad.set(gW);
      b.grad.set(gB);
      if (l1 > 0) {
        for (let j = 0; j < d; j++) {
          const m = ctx.mask[j];
          if (m === 0) continue;
          for (let c = 0; c < f; c++) W.grad[j * f + c] += l1 * m * Math.sign(W.value[j * f + c]);
        }
      }
      adam.step();
    }
  }
  return { W: W.value, b: b.value };
}

/** E windows of (about) equal numbers of train edges in timestamp order; null when the edges carry fewer than 2 distinct times. */
export function timeWindowEnvironments(timestamps: Float64Array, numEnvs: number): Int32Array | null {
  const n = timestamps.length;
  let first = Number.NaN;
  let distinct = false;
  for (const t of timestamps) {
    if (!Number.isFinite(t)) return null;
    if (Number.isNaN(first)) first = t;
    else if (t !== first) distinct = true;
  }
  if (!distinct) return null;
  const order = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => timestamps[a] - timestamps[b] || a - b);
  const assignment = new Int32Array(n);
  // edges with one timestamp share a window, so a window boundary never splits one moment
  let window = 0;
  for (let rank = 0; rank < n; rank++) {
    const k = order[rank];
    const target = Math.min(numEnvs - 1, Math.floor((rank * numEnvs) / n));
    if (target > window && timestamps[k] !== timestamps[order[rank - 1]]) window = target;
    assignment[k] = window;
  }
  return assignment;
}

/** Each user's environment: the one holding most of the user's train edges (lowest index on a tie); -1 without edges. */
export function userEnvironments(numUsers: number, train: EdgeList, assignment: Int32Array, numEnvs: number): Int32Array {
  if (assignment.length !== train.users.length) {
    throw new ModelError('BAD_USER_INPUT', `environment assignment has ${assignment.length} entries; expected one per train edge, ${train.users.length}`);
  }
  const counts = new Int32Array(numUsers * numEnvs);
  for (let k = 0; k < assignment.length; k++) counts[train.users[k] * numEnvs + assignment[k]]++;
  const out = new Int32Array(numUsers).fill(-1);
  for (let u = 0; u < numUsers; u++) {
    let best = -1;
    let bestCount = 0;
    for (let e = 0; e < numEnvs; e++) {
      const c = counts[u * numEnvs + e];
      if (c > bestCount) {
        best = e;
        bestCount = c;
      }
    }
    out[u] = best;
  }
  return out;
}
