// Evidently's `get_binned_data`: the share of each sample per bin, the input of PSI and Jensen-Shannon.
// Numerical columns with more than 20 distinct reference values get numpy's 'sturges' histogram over both samples
// together; everything else gets one bin per distinct value. Optionally empty bins get a small share (`feel_zeroes`).
import { countCategories, countUnique } from './sample';

export type BinnedShares = {
  /** reference share per bin (sums to 1 before zero filling) */
  reference: Float64Array;
  /** current share per bin, same bins */
  current: Float64Array;
};

/** Evidently bins numerical columns only when the reference has more distinct values than this. */
export const MAX_UNIQUE_FOR_VALUE_BINS = 20;

/** Index of the first element >= value (`side='left'`) or > value (`side='right'`) in an ascending array. */
function searchSorted(sorted: Float64Array, value: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? sorted[mid] < value : sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `np.histogram_bin_edges(concat(reference, current), bins='sturges')`: width = range / (log2(n) + 1), bin count
 * ceil(range / width) (a width below 1 is raised to 1 for integer data; a zero range gives one bin of
 * [v - 0.5, v + 0.5]), edges = linspace(first, last, count + 1).
 */
export function sturgesEdges(reference: Float64Array, current: Float64Array, integerData: boolean): Float64Array {
  const min = Math.min(reference[0], current[0]);
  const max = Math.max(reference[reference.length - 1], current[current.length - 1]);
  // The width comes from the data's own range; only the outer edges are widened around a constant sample.
  let width = (max - min) / (Math.log2(reference.length + current.length) + 1);
  if (width > 0 && integerData && width < 1) width = 1;
  const first = min === max ? min - 0.5 : min;
  const last = min === max ? max + 0.5 : max;
  const bins = width > 0 ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = first + i * step;
  edges[bins] = last; // linspace sets the end point exactly
  return edges;
}

/**
 * `np.histogram(sample, edges)[0] / len(sample)` for an ascending sample: bin i holds edges[i] <= x < edges[i+1],
 * the last bin also holds its right edge (numpy's cumulative searchsorted path).
 */
export function histogramShares(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const shares = new Float64Array(bins);
  let below = searchSorted(sorted, edges[0], 'left');
  for (let i = 0; i < bins; i++) {
    const upTo = i === bins - 1 ? searchSorted(sorted, edges[bins], 'right') : searchSorted(sorted, edges[i + 1], 'left');
    shares[i] = (upTo - below) / sorted.length;
    below = upTo;
  }
  return shares;
}

/**
 * Evidently's zero filling: empty bins get min(non-zero share) / 10^6 when that minimum is <= 0.0001, otherwise
 * 0.0001, so that PSI's log ratio stays finite. Works in place.
 */
export function fillZeroes(shares: Float64Array): Float64Array {
  let minNonZero = Infinity;
  for (let i = 0; i < shares.length; i++) {
    if (shares[i] !== 0 && shares[i] < minNonZero) minNonZero = shares[i];
  }
  const fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
  for (let i = 0; i < shares.length; i++) {
    if (shares[i] === 0) shares[i] = fill;
  }
  return shares;
}

/**
 * Shares per bin of two ascending, finite, non-empty samples, as Evidently's `get_binned_data(reference, current,
 * feature_type, n, feel_zeroes)`. `integerData` mirrors a pandas integer dtype for numpy's integer width rule.
 */
export function binnedShares(
  reference: Float64Array,
  current: Float64Array,
  kind: 'numerical' | 'categorical',
  fillEmptyBins: boolean,
  integerData = false,
): BinnedShares {
  let shares: BinnedShares;
  if (kind === 'numerical' && countUnique(reference) > MAX_UNIQUE_FOR_VALUE_BINS) {
    const edges = sturgesEdges(reference, current, integerData);
    shares = { reference: histogramShares(reference, edges), current: histogramShares(current, edges) };
  } else {
    const counts = countCategories(reference, current);
    const referenceShares = counts.referenceCounts.map((c) => c / reference.length);
    const currentShares = counts.currentCounts.map((c) => c / current.length);
    shares = { reference: referenceShares, current: currentShares };
  }
  if (fillEmptyBins) {
    fillZeroes(shares.reference);
    fillZeroes(shares.current);
  }
  return shares;
}
