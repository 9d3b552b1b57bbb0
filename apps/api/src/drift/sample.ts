// Samples for the drift statistics: input validation, one sorted copy per sample, and the unique-value and
// per-category counts that Evidently reads off pandas (`nunique`, `value_counts`), all from that sorted copy.

/** Thrown for input a caller can fix (empty or non-finite samples, a bad share); `code` matches the API's. */
export class DriftInputError extends Error {
  readonly code = 'BAD_USER_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'DriftInputError';
  }
}

/**
 * Copies `values` into a new ascending Float64Array, checking on the way that there is at least one value and
 * that every value is finite (Evidently drops NaN before testing; here a NaN is a caller's bug, so it throws).
 */
export function sortedSample(values: ArrayLike<number>, name: string): Float64Array {
  const n = values.length;
  if (n === 0) {
    throw new DriftInputError(`${name} sample is empty: expected at least one finite number`);
  }
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DriftInputError(`${name}[${i}] is ${String(v)}: expected a finite number`);
    }
    sorted[i] = v;
  }
  // Typed-array sort is numeric (no string comparison) and puts -0 next to +0, so equal values are adjacent.
  return sorted.sort();
}

/** Number of distinct values in one sorted sample (pandas `nunique`). */
export function countUnique(sorted: Float64Array): number {
  let count = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  }
  return count;
}

/** Number of distinct values in the union of two sorted samples (`pd.concat([ref, cur]).nunique()`). */
export function countUnionUnique(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    count++;
  }
  return count;
}

/** True when every value is an integer, the closest a plain number array comes to a pandas integer dtype. */
export function allIntegers(sorted: Float64Array): boolean {
  for (let i = 0; i < sorted.length; i++) {
    if (!Number.isInteger(sorted[i])) return false;
  }
  return true;
}

/** Counts per category over the union of categories of both samples, categories in ascending order. */
export type CategoryCounts = {
  /** the distinct values of reference and current together, ascending */
  values: Float64Array;
  /** referenceCounts[k] = how many reference values equal values[k] (0 when only the current has it) */
  referenceCounts: Float64Array;
  /** currentCounts[k] = how many current values equal values[k] */
  currentCounts: Float64Array;
};

/** Evidently's `value_counts` over `get_unique_not_nan_values_list_from_series`, in one merge of the sorted samples. */
export function countCategories(reference: Float64Array, current: Float64Array): CategoryCounts {
  const k = countUnionUnique(reference, current);
  const values = new Float64Array(k);
  const referenceCounts = new Float64Array(k);
  const currentCounts = new Float64Array(k);
  let i = 0;
  let j = 0;
  for (let c = 0; c < k; c++) {
    const v = j >= current.length || (i < reference.length && reference[i] <= current[j]) ? reference[i] : current[j];
    const i0 = i;
    const j0 = j;
    while (i < reference.length && reference[i] === v) i++;
    while (j < current.length && current[j] === v) j++;
    values[c] = v;
    referenceCounts[c] = i - i0;
    currentCounts[c] = j - j0;
  }
  return { values, referenceCounts, currentCounts };
}

/** Population standard deviation (numpy `np.std`, ddof = 0), two-pass for accuracy. */
export function populationStd(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / values.length);
}
