// Popularity as the floor every trained version must clear: each run also scores the popularity list on the same
// validation split, and a version whose validation NDCG@20 is below it is not made current unless forced.
// The floor is a fact about the data (a model that loses to "most watched first" has learned nothing usable),
// not a setting: see docs/method.md#9-model-selection-the-popularity-floor-and-tuning.
import type { EvaluationResult, PerUserMetrics } from '../evaluate';
import { pairedLiftInterval, type LiftInterval } from '../paired-bootstrap';
import type { ArtifactManifest, MetricTable } from './manifest';

/** The validation metric that decides whether a version may serve (the same one early stopping and tuning use). */
export const FLOOR_METRIC = 'ndcg@20';

/** How a version compares with the popularity list on the validation split. */
export interface PopularityComparison {
  metric: typeof FLOOR_METRIC;
  /** The version's validation value. */
  value: number;
  /** Popularity's validation value on the same split. */
  popularity: number;
  /** value / popularity − 1 (e.g. 0.25 = 25 % better); null when popularity scores 0 (no lift can be stated). */
  lift: number | null;
  /** False when the version is below popularity: it must not become current without being forced. */
  clears: boolean;
  /**
   * The lift's paired bootstrap interval over the validation users (pairedLiftInterval); null when the run kept no
   * per-user values (versions written before it did) or popularity scores 0. The floor does not read it.
   */
  interval: LiftInterval | null;
}

export function compareWithPopularity(valid: MetricTable, popularityValid: MetricTable, interval: LiftInterval | null = null): PopularityComparison {
  const value = valid[FLOOR_METRIC] ?? Number.NaN;
  const popularity = popularityValid[FLOOR_METRIC] ?? Number.NaN;
  const lift = popularity > 0 && Number.isFinite(value) ? value / popularity - 1 : null;
  // A tie clears: popularity itself (lift 0) must always be allowed to serve. NaN never clears.
  return { metric: FLOOR_METRIC, value, popularity, lift, clears: value >= popularity, interval: lift === null ? null : interval };
}

/** The comparison of a version's metrics as stored (manifest or model run); null for versions written before runs scored popularity. */
export function storedComparison(metrics: Pick<ArtifactManifest['metrics'], 'valid' | 'popularity'>): PopularityComparison | null {
  return metrics.popularity ? compareWithPopularity(metrics.valid, metrics.popularity.valid, metrics.popularity.liftIntervals?.valid ?? null) : null;
}

/** Each evaluated user's floor metric on the validation and test splits, in the evaluator's user order. */
export interface FloorPerUser {
  valid: Float32Array;
  test: Float32Array;
}

/** The floor metric per user from a training's best validation evaluation and its test evaluation; null without them. */
export function floorPerUser(valid: PerUserMetrics | null | undefined, test: EvaluationResult['perUser']): FloorPerUser | null {
  const pick = (p: PerUserMetrics | null | undefined) => p?.atK[20]?.ndcg; // FLOOR_METRIC: NDCG at K = 20
  const v = pick(valid);
  const t = pick(test);
  return v && t ? { valid: v, test: t } : null;
}

/** The version's lift over popularity with its paired bootstrap interval on each split (the same users in both). */
export function floorLiftIntervals(version: FloorPerUser, popularity: FloorPerUser): { valid: LiftInterval | null; test: LiftInterval | null } {
  return { valid: pairedLiftInterval(version.valid, popularity.valid), test: pairedLiftInterval(version.test, popularity.test) };
}

/** True when the interval holds 0: on this split the version and popularity cannot be told apart. */
export function withinNoise(c: Pick<PopularityComparison, 'interval'>): boolean {
  return c.interval !== null && c.interval.low <= 0 && c.interval.high >= 0;
}

/** A lift as a signed number of per cent, without the sign of the unit: "+6.3", "−2.9". */
function signedPercent(lift: number): string {
  return `${lift < 0 ? '−' : '+'}${(100 * Math.abs(lift)).toFixed(1)}`;
}

/** A lift as a signed percentage: "+6.3 %", "−2.9 %". */
export function formatLiftPercent(lift: number): string {
  return `${signedPercent(lift)} %`;
}

/** "−2.9 to +6.3 %": an interval's ends in a table cell. */
export function formatIntervalRange(interval: LiftInterval): string {
  return `${signedPercent(interval.low)} to ${formatLiftPercent(interval.high)}`;
}

/** "95 % interval −2.9 % to +6.3 %" */
export function describeInterval(interval: LiftInterval): string {
  return `${Math.round(100 * interval.level)} % interval ${formatLiftPercent(interval.low)} to ${formatLiftPercent(interval.high)}`;
}

/** "0.0312, 24.1 % above popularity's 0.0251" — the words the CLI and the main job use. */
export function describeComparison(c: PopularityComparison): string {
  const rel = c.lift === null ? 'popularity scores 0' : `${(100 * Math.abs(c.lift)).toFixed(1)} % ${c.lift >= 0 ? 'above' : 'below'} popularity's ${c.popularity.toFixed(4)}`;
  const spread = c.interval ? ` (${describeInterval(c.interval)} over users${withinNoise(c) ? ': not told apart from popularity on this split' : ''})` : '';
  return `validation ${c.metric.replace('ndcg', 'NDCG')} ${c.value.toFixed(4)}, ${rel}${spread}`;
}
