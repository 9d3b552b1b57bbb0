// Pearson's chi-squared goodness-of-fit test of current category counts against the reference proportions, as
// Evidently's `chisquare` stattest runs it: scipy.stats.chisquare(f_obs = current counts, f_exp = reference
// counts · n_current / n_reference), df = categories - 1, p-value from the regularised upper incomplete gamma.
import { chiSquareSurvival } from './special-functions';
import { countCategories, sortedSample } from './sample';

export type ChiSquareResult = {
  /** Σ (observed - expected)² / expected; Infinity when the current has a category the reference lacks */
  statistic: number;
  /** degrees of freedom: number of categories seen in either sample, minus one */
  degreesOfFreedom: number;
  /** Pr(χ²_df >= statistic) */
  pValue: number;
};

function checkCounts(counts: ArrayLike<number>, name: string): number {
  let total = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (!(c >= 0) || !Number.isFinite(c)) {
      throw new RangeError(`${name}[${k}] is ${c}: expected a finite count >= 0`);
    }
    total += c;
  }
  if (!(total > 0)) throw new RangeError(`${name} add up to ${total}: expected a positive total`);
  return total;
}

/**
 * Chi-squared test from counts aligned by category (`referenceCounts[k]` and `currentCounts[k]` count the same
 * category). Expected current counts are the reference counts rescaled to the current total, so Σ expected =
 * Σ observed as scipy requires. A category with expected 0 but observed > 0 makes the statistic infinite and
 * the p-value 0 (numpy's x/0 = inf). With a single category there is nothing to test: p-value 1.
 */
export function chiSquareFromCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  if (referenceCounts.length !== currentCounts.length) {
    const sizes = `referenceCounts has ${referenceCounts.length} categories and currentCounts ${currentCounts.length}`;
    throw new RangeError(`${sizes}: expected the same categories`);
  }
  const referenceTotal = checkCounts(referenceCounts, 'referenceCounts');
  const currentTotal = checkCounts(currentCounts, 'currentCounts');
  const scale = currentTotal / referenceTotal;
  let statistic = 0;
  let categories = 0;
  for (let k = 0; k < referenceCounts.length; k++) {
    const expected = referenceCounts[k] * scale;
    const observed = currentCounts[k];
    if (expected === 0 && observed === 0) continue; // a category neither sample has is no category
    categories++;
    statistic += expected === 0 ? Infinity : ((observed - expected) * (observed - expected)) / expected;
  }
  const degreesOfFreedom = categories - 1;
  if (degreesOfFreedom < 1) return { statistic, degreesOfFreedom, pValue: 1 };
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** Chi-squared test of two samples of category codes (Evidently `_chi_stat_test`); throws on empty or non-finite input. */
export function chiSquareTest(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  const counts = countCategories(sortedSample(reference, 'reference'), sortedSample(current, 'current'));
  return chiSquareFromCounts(counts.referenceCounts, counts.currentCounts);
}
