// The stable columns read from time windows at every resolution, `mask.estimator: stability` [ours]
// (docs/method.md#the-stability-estimator-ours): the stage's pooled content projection W is refitted on each time
// window's edges alone, the users' taste vectors held fixed, for every window count from 2 to the stage's
// environments; a column scores by how much its row of W stays the same across the windows, and its mask value is
// its score's gate at the resolution where it looks least stable.
import type { FrozenBackbone } from './frozen-backbone';
import { median } from './invariant-mask';
import type { Random } from './random';
import type { NegativeSampler } from './sampler';
import { fitTasteProjection, type TasteSettings, type UserTaste } from './user-taste';
import { environmentMembers, timeWindowEnvironments } from './environments';
import type { EdgeList } from './types';

/**
 * Per column j of the windows' projections (each [width, featureDim], row-major): the signal ‖mean_e W_e[j]‖² over
 * the spread mean_e ‖W_e[j] − mean‖², as `ratio`, and over the spread plus the median spread of all columns, as
 * `floored` (so that a column whose rows are near zero in every window, a noise column, does not score high because
 * its spread is small too).
 */
export function columnStability(windows: readonly Float32Array[], width: number, featureDim: number): { ratio: Float32Array; floored: Float32Array } {
  const E = windows.length;
  if (E < 2) throw new RangeError(`columnStability: ${E} windows; at least 2 are needed for a spread`);
  const signal = new Float64Array(width);
  const spread = new Float64Array(width);
  for (let j = 0; j < width; j++) {
    for (let k = 0; k < featureDim; k++) {
      let mean = 0;
      for (const W of windows) mean += W[j * featureDim + k] / E;
      signal[j] += mean * mean;
      for (const W of windows) spread[j] += (W[j * featureDim + k] - mean) ** 2 / E;
    }
  }
  const floor = median(spread);
  return {
    ratio: Float32Array.from(signal, (s, j) => s / (spread[j] || Number.MIN_VALUE)),
    floored: Float32Array.from(signal, (s, j) => s / (spread[j] + floor || Number.MIN_VALUE)),
  };
}

/**
 * A score in [0, 1] from stability scores: s / (s + median s), 0.5 for a column as stable as the median one (what
 * the data says about most columns), towards 1 for columns far more stable, towards 0 for far less. 0.5 everywhere
 * when the median is 0 and a column's score too (nothing to compare with).
 */
export function stabilityGate(scores: Float32Array): Float32Array {
  const m = median(scores);
  return Float32Array.from(scores, (s) => (s + m > 0 ? s / (s + m) : 0.5));
}

export interface StableMask {
  /** min over the resolutions of each column's gate, [width] */
  mask: Float32Array;
  /** The window counts that were read (those with at least 2 windows holding edges). */
  resolutions: number[];
}

/** One window count's figures, as `learnStableMask` reads them. */
export interface StabilityResolution {
  windows: number;
  seconds: number;
  ratio: Float32Array;
  floored: Float32Array;
}

export interface StabilityContext {
  backbone: FrozenBackbone;
  taste: UserTaste;
  train: EdgeList;
  /** One per train edge. */
  timestamps: Float64Array;
  sampler: NegativeSampler;
  rng: Random;
  settings: TasteSettings;
  onResolution?: (resolution: StabilityResolution) => void;
}

/** The window counts the product reads: every count from 2 to the stage's environments (at least 2). */
export function windowLadder(numEnvironments: number): number[] {
  return Array.from({ length: Math.max(2, numEnvironments) - 1 }, (_, k) => k + 2);
}

/**
 * The stability mask over the window counts `counts` (the product's: `windowLadder`). A column counts as stable only
 * when it is stable at every resolution: a drift that one partition of time averages out (two windows that each
 * straddle a change) another shows. Null when the timestamps do not make two windows at any of the counts.
 */
export async function learnStableMask(ctx: StabilityContext, counts: readonly number[]): Promise<StableMask | null> {
  const width = ctx.backbone.x.width;
  const f = ctx.backbone.featureDim;
  let mask: Float32Array | null = null;
  const resolutions: number[] = [];
  for (const E of counts) {
    const assignment = timeWindowEnvironments(ctx.timestamps, E);
    if (!assignment) return null;
    // edges that share one moment share a window, so a window may be empty; fewer than 2 make no spread
    const filled = environmentMembers(assignment, E).filter((m) => m.length > 0);
    if (filled.length < 2) continue;
    const started = performance.now();
    const windows: Float32Array[] = [];
    for (const m of filled) windows.push(await fitTasteProjection(ctx.backbone, ctx.taste, ctx.train, m, ctx.sampler, ctx.rng, ctx.settings));
    const { ratio, floored } = columnStability(windows, width, f);
    const gate = stabilityGate(floored);
    if (!mask) mask = gate;
    else for (let j = 0; j < width; j++) mask[j] = Math.min(mask[j], gate[j]);
    resolutions.push(E);
    ctx.onResolution?.({ windows: E, seconds: (performance.now() - started) / 1000, ratio, floored });
  }
  return mask ? { mask, resolutions } : null;
}
