// Two-proportion z-test, Evidently's `z` stattest for columns with at most two distinct values: the share of
// values other than the smallest category in reference vs current, pooled variance, two-sided normal p-value.
import { erfc } from './special-functions';
import { countCategories, sortedSample, type CategoryCounts } from './sample';

export type ZTestResult = {
  /** (p_reference - p_current) / √(P (1 - P) (1/n_reference + 1/n_current)), P the pooled share; 0 when undefined */
  statistic: number;
  /** two-sided p-value 2 (1 - Φ(|z|)) */
  pValue: number;
};

/**
 * z-test from category counts (as `countCategories` returns them, categories ascending). Evidently codes the
 * smallest category 0 and every other category 1, so p is the share of "not the smallest category". When both
 * samples hold one and the same single value, Evidently returns p-value 1 without computing z.
 */
export function zTestFromCounts(counts: CategoryCounts): ZTestResult {
  const { referenceCounts, currentCounts } = counts;
  let n1 = 0;
  let n2 = 0;
  for (let k = 0; k < referenceCounts.length; k++) {
    n1 += referenceCounts[k];
    n2 += currentCounts[k];
  }
  if (!(n1 > 0) || !(n2 > 0)) {
    throw new RangeError(`z-test counts add up to ${n1} (reference) and ${n2} (current): expected both > 0`);
  }
  if (referenceCounts.length <= 1) return { statistic: 0, pValue: 1 };
  const p1 = (n1 - referenceCounts[0]) / n1;
  const p2 = (n2 - currentCounts[0]) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  // 2 (1 - Φ(|z|)) = erfc(|z| / √2), without the cancellation of 1 - Φ in the tail.
  return { statistic: z, pValue: erfc(Math.abs(z) / Math.SQRT2) };
}

/** Two-proportion z-test of two samples of category codes; throws on empty or non-finite input. */
export function zTest(reference: ArrayLike<number>, current: ArrayLike<number>): ZTestResult {
  return zTestFromCounts(countCategories(sortedSample(reference, 'reference'), sortedSample(current, 'current')));
}
