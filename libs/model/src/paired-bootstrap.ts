// How sure a lift over a baseline is: the paired percentile bootstrap over users (Efron and Tibshirani, An Introduction
// to the Bootstrap, 1993, ch. 13; docs/method.md#9-model-selection-the-popularity-floor-and-tuning). Users are drawn with
// replacement and each draw keeps both rankers' values of the same user, so what the two rankings share (which users
// are easy) cancels out of the interval.
import { Random } from './random';

/** A lift's interval: the lift of means a / b − 1 at the two percentiles of its resampled values. */
export interface LiftInterval {
  low: number;
  high: number;
  /** Coverage, e.g. 0.95. */
  level: number;
  /** Resamples drawn. */
  resamples: number;
}

export interface PairedBootstrapOptions {
  resamples?: number;
  level?: number;
  /** Seed of the draws (the interval of the same values is the same on every run). */
  seed?: number;
  /** The user index of each draw, for tests; by default a seeded uniform draw from 0..users-1. */
  draw?: (users: number) => number;
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 2000;
export const DEFAULT_BOOTSTRAP_LEVEL = 0.95;

/**
 * The interval of mean(a) / mean(b) − 1, where a[u] and b[u] are two rankers' values for the same user u (per-user
 * NDCG@20 of a model and of popularity on one split, in the evaluator's user order). Null when no interval can be
 * stated: no users, or the baseline scores 0 on the whole split. A resample whose baseline sum is 0 has no lift and is
 * left out of the percentiles (the interval then rests on the others).
 */
export function pairedLiftInterval(a: ArrayLike<number>, b: ArrayLike<number>, options: PairedBootstrapOptions = {}): LiftInterval | null {
  if (a.length !== b.length) throw new RangeError(`paired values of ${a.length} and ${b.length} users: expected the same users in both`);
  const resamples = options.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const level = options.level ?? DEFAULT_BOOTSTRAP_LEVEL;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples = ${resamples}: expected a positive integer`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level = ${level}: expected a number between 0 and 1`);
  const n = a.length;
  let baseline = 0;
  for (let u = 0; u < n; u++) baseline += b[u];
  if (n === 0 || baseline === 0) return null;
  const rng = options.draw ? null : new Random(options.seed ?? 1);
  const draw = options.draw ?? ((users: number) => rng!.nextInt(users));
  const lifts: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sa = 0;
    let sb = 0;
    for (let k = 0; k < n; k++) {
      const u = draw(n);
      sa += a[u];
      sb += b[u];
    }
    if (sb > 0) lifts.push(sa / sb - 1); // the 1/n of both means cancels
  }
  if (lifts.length === 0) return null;
  lifts.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return { low: percentile(lifts, tail), high: percentile(lifts, 1 - tail), level, resamples };
}

/** The nearest-rank percentile of sorted values: the ⌈q·n⌉-th smallest (the smallest for q = 0). */
export function percentile(sorted: readonly number[], q: number): number {
  // (1 − 0.95) / 2 · 2000 is 50.00000000000004 in floating point: the guard keeps it the 50th
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[Math.min(sorted.length, rank) - 1];
}
