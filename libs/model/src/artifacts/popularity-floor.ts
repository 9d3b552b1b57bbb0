// Popularity as the floor every trained version must clear: each run also scores the popularity list on the same
// validation split, and a version whose validation NDCG@20 is below it is not made current unless forced.
// The floor is a fact about the data (a model that loses to "most watched first" has learned nothing usable),
// not a setting: see docs/method.md#9-model-selection-the-popularity-floor-and-tuning.
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
}

export function compareWithPopularity(valid: MetricTable, popularityValid: MetricTable): PopularityComparison {
  const value = valid[FLOOR_METRIC] ?? Number.NaN;
  const popularity = popularityValid[FLOOR_METRIC] ?? Number.NaN;
  const lift = popularity > 0 && Number.isFinite(value) ? value / popularity - 1 : null;
  // A tie clears: popularity itself (lift 0) must always be allowed to serve. NaN never clears.
  return { metric: FLOOR_METRIC, value, popularity, lift, clears: value >= popularity };
}

/** The comparison of a version's metrics as stored (manifest or model run); null for versions written before runs scored popularity. */
export function storedComparison(metrics: Pick<ArtifactManifest['metrics'], 'valid' | 'popularity'>): PopularityComparison | null {
  return metrics.popularity ? compareWithPopularity(metrics.valid, metrics.popularity.valid) : null;
}

/** "0.0312, 24.1 % above popularity's 0.0251" — the words the CLI and the main job use. */
export function describeComparison(c: PopularityComparison): string {
  const rel = c.lift === null ? 'popularity scores 0' : `${(100 * Math.abs(c.lift)).toFixed(1)} % ${c.lift >= 0 ? 'above' : 'below'} popularity's ${c.popularity.toFixed(4)}`;
  return `validation ${c.metric.replace('ndcg', 'NDCG')} ${c.value.toFixed(4)}, ${rel}`;
}
