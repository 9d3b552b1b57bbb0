// Evidently's default data-drift rules for one column and for a dataset (evidently `_get_default_stattest`,
// `get_dataset_drift`): pick the test by column kind, reference size and distinct values, compare with its
// default threshold in Evidently's direction, plus PSI with the usual 0.1 / 0.25 bands.
import { binnedShares } from './binning';
import { chiSquareFromCounts } from './chi-square';
import { jensenShannonDistance, normedWassersteinSorted, populationStabilityIndex } from './distances';
import { ksTestSorted } from './ks-test';
import { allIntegers, countCategories, countUnionUnique, countUnique, DriftInputError, sortedSample } from './sample';
import { zTestFromCounts } from './z-test';

export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon';
export type ColumnKind = 'numerical' | 'categorical';

export type DriftResult = {
  /** the test or distance Evidently's defaults pick for this column */
  method: DriftMethod;
  /** p-value for ks, chisquare and z; distance for wasserstein (normed) and jensenshannon */
  value: number;
  /** Evidently's default threshold for `method` */
  threshold: number;
  /** p-value below the threshold (ks: at or below), or distance at or above it */
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
};

export type DriftOptions = {
  /** column kind; inferred as Evidently does when absent (see `inferColumnKind`) */
  kind?: ColumnKind;
};

export type PsiBand = 'none' | 'moderate' | 'significant';
export type PsiResult = { value: number; band: PsiBand };

export type DatasetDriftResult = {
  columns: number;
  driftedColumns: number;
  /** driftedColumns / columns, Evidently's `share_of_drifted_columns` */
  driftedShare: number;
  /** driftedShare >= the share asked for */
  drifted: boolean;
};

/** `default_threshold` of each Evidently StatTest. */
export const DRIFT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
};
/** Up to this many reference rows Evidently runs statistical tests; above it, distances. */
export const MAX_REFERENCE_ROWS_FOR_TESTS = 1000;
/** Evidently's NUMBER_UNIQUE_AS_CATEGORICAL: at most this many distinct values get categorical treatment. */
export const MAX_UNIQUE_AS_CATEGORICAL = 5;
/** PSI at or above `moderate` is a moderate shift (Evidently's psi threshold), at or above `significant` a large one. */
export const PSI_BANDS = { moderate: 0.1, significant: 0.25 } as const;
/** Evidently's default `drift_share`. */
export const DEFAULT_DRIFT_SHARE = 0.5;

const KINDS: readonly ColumnKind[] = ['numerical', 'categorical'];

/**
 * Evidently's `_get_column_type` for a numeric column: integer data with at most 5 distinct reference values is
 * categorical, anything else numerical. "Integer data" stands in for pandas' integer dtype: every value an integer.
 */
export function inferColumnKind(sortedReference: Float64Array, sortedCurrent: Float64Array): ColumnKind {
  const integers = allIntegers(sortedReference) && allIntegers(sortedCurrent);
  return integers && countUnique(sortedReference) <= MAX_UNIQUE_AS_CATEGORICAL ? 'categorical' : 'numerical';
}

/** Evidently's `_get_default_stattest`; `uniqueValues` counts reference and current together. */
export function selectDriftMethod(referenceSize: number, uniqueValues: number, kind: ColumnKind): DriftMethod {
  const categoricalTreatment = kind === 'categorical' || uniqueValues <= MAX_UNIQUE_AS_CATEGORICAL;
  if (referenceSize <= MAX_REFERENCE_ROWS_FOR_TESTS) {
    if (categoricalTreatment) return uniqueValues > 2 ? 'chisquare' : 'z';
    return 'ks';
  }
  return categoricalTreatment ? 'jensenshannon' : 'wasserstein';
}

function resolveKind(options: DriftOptions | undefined, reference: Float64Array, current: Float64Array): ColumnKind {
  const kind = options?.kind;
  if (kind === undefined) return inferColumnKind(reference, current);
  if (!KINDS.includes(kind)) {
    throw new DriftInputError(`kind is ${JSON.stringify(kind)}: expected 'numerical' or 'categorical'`);
  }
  return kind;
}

/**
 * Drift of one column between a reference and a current sample under Evidently's defaults: KS (p <= 0.05),
 * chi-squared or two-proportion z-test (p < 0.05) up to 1000 reference rows; normed Wasserstein or
 * Jensen-Shannon (>= 0.1) above. Categorical codes are numbers. Throws DriftInputError on an empty sample or a
 * non-finite value. Each sample is sorted once; all work after that is linear (KS exact: see ks-test.ts).
 */
export function detectDrift(reference: ArrayLike<number>, current: ArrayLike<number>, options?: DriftOptions): DriftResult {
  const ref = sortedSample(reference, 'reference');
  const cur = sortedSample(current, 'current');
  const kind = resolveKind(options, ref, cur);
  const method = selectDriftMethod(ref.length, countUnionUnique(ref, cur), kind);
  const threshold = DRIFT_THRESHOLDS[method];
  let value: number;
  let drifted: boolean;
  switch (method) {
    case 'ks':
      value = ksTestSorted(ref, cur).pValue;
      drifted = value <= threshold; // Evidently's ks compares with <=, the other tests with <
      break;
    case 'chisquare': {
      const counts = countCategories(ref, cur);
      value = chiSquareFromCounts(counts.referenceCounts, counts.currentCounts).pValue;
      drifted = value < threshold;
      break;
    }
    case 'z':
      value = zTestFromCounts(countCategories(ref, cur)).pValue;
      drifted = value < threshold;
      break;
    case 'wasserstein':
      value = normedWassersteinSorted(ref, cur);
      drifted = value >= threshold;
      break;
    case 'jensenshannon': {
      const shares = binnedShares(ref, cur, kind, false);
      value = jensenShannonDistance(shares.reference, shares.current);
      drifted = value >= threshold;
      break;
    }
  }
  return { method, value, threshold, drifted, referenceSize: ref.length, currentSize: cur.length };
}

/** Band of a PSI value: below 0.1 none, below 0.25 moderate, else significant. */
export function psiBand(value: number): PsiBand {
  if (value >= PSI_BANDS.significant) return 'significant';
  if (value >= PSI_BANDS.moderate) return 'moderate';
  return 'none';
}

/**
 * Evidently's PSI of one column: shares per Sturges bin (numerical with more than 20 distinct reference values)
 * or per value, empty bins filled, Σ (r - c) ln(r / c). Kind is inferred as in `detectDrift` unless given.
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, options?: DriftOptions): PsiResult {
  const ref = sortedSample(reference, 'reference');
  const cur = sortedSample(current, 'current');
  const kind = resolveKind(options, ref, cur);
  const integers = allIntegers(ref) && allIntegers(cur);
  const shares = binnedShares(ref, cur, kind, true, integers);
  const value = populationStabilityIndex(shares.reference, shares.current);
  return { value, band: psiBand(value) };
}

/** Evidently's dataset drift: the share of drifted columns is at least `share` (default 0.5). */
export function datasetDrift(results: readonly DriftResult[], share = DEFAULT_DRIFT_SHARE): DatasetDriftResult {
  if (results.length === 0) {
    throw new DriftInputError('results is empty: expected the DriftResult of at least one column');
  }
  if (!Number.isFinite(share) || share < 0 || share > 1) {
    throw new DriftInputError(`share is ${share}: expected a number between 0 and 1`);
  }
  const driftedColumns = results.filter((r) => r.drifted).length;
  const driftedShare = driftedColumns / results.length;
  return { columns: results.length, driftedColumns, driftedShare, drifted: driftedShare >= share };
}
