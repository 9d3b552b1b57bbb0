// Two-sample Kolmogorov-Smirnov test, two-sided, following scipy.stats.ks_2samp(method='auto'), which Evidently's
// `ks` stattest calls. p-value: exact (scipy's own algorithms) when both samples have <= 10,000 values; above
// that, the asymptotic Kolmogorov distribution with Stephens' small-sample correction (see `asymptoticPValue`).
import { sortedSample } from './sample';

export type KsTestResult = {
  /** D = sup |F_reference(x) - F_current(x)| over the empirical CDFs */
  statistic: number;
  /** Pr(D >= statistic) when both samples come from one continuous distribution */
  pValue: number;
  /** how the p-value was computed */
  method: 'exact' | 'asymptotic';
};

/** scipy's MAX_AUTO_N: method 'auto' is exact when the larger sample has at most this many values. */
export const KS_MAX_EXACT_SIZE = 10000;

/** D over two ascending samples: walk the distinct values of both, CDFs taken after each value (side='right'). */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] <= v) i++;
    while (j < b.length && b[j] <= v) j++;
    const diff = Math.abs(i / a.length - j / b.length);
    if (diff > d) d = diff;
  }
  return d;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Pr(D_{n,n} >= h/n) for equal sizes (scipy `_compute_prob_outside_square`): the alternating sum
 * 2 Σ_k (-1)^k C(2n, n - (k+1)h) / C(2n, n), in a Horner form that avoids cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * Pr(D_{m,n} >= h/lcm(m, n)) for unequal sizes (scipy `_compute_outer_prob_inside_method`): Hodges' lattice-path
 * recursion over a sliding window of one column, written for 1 - p directly (Viehmann 2021) so that it neither
 * overflows nor cancels. Cost O(m · window), window ≈ 2·D·n: at scipy's 10,000 × 9,999 limit and D near 1 about
 * 2e8 steps (~0.5 s); through `detectDrift` (reference <= 1000, current <= 10,000) at most ~2e7.
 */
function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  // Cells past the live window hold 1 (paths through them are outside); reads reach at most one cell past it.
  const column = new Float64Array(n + 2).fill(1);
  column.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (column[jj + minj - lastminj] * i + val * j) / (i + j);
      column[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) column.fill(1, curlen, lastlen);
  }
  return column[maxj - minj - 1];
}

/** scipy `_attempt_exact_2kssamp`, two-sided; undefined where the computation fails (scipy then goes asymptotic). */
function exactPValue(n1: number, n2: number, d: number): { statistic: number; pValue: number } | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  // D is a multiple of 1/lcm; rounding removes the float noise of i/n1 - j/n2.
  const h = Math.round(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return undefined;
  return { statistic, pValue: p };
}

/**
 * Survival function of the limiting Kolmogorov distribution, Q_KS(λ) = 2 Σ_{j>=1} (-1)^{j-1} e^{-2 j² λ²}.
 * Below λ = 1.18 that series converges slowly, so the Jacobi-theta form
 * 1 - (√(2π)/λ) Σ_{j>=1} e^{-(2j-1)² π² / (8λ²)} is summed instead (Numerical Recipes 3rd ed. §6.14).
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    const w = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let j = 1; j < 100; j++) {
      const term = Math.exp(-(2 * j - 1) * (2 * j - 1) * w);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  const x = -2 * lambda * lambda;
  let sum = 0;
  let sign = 1;
  for (let j = 1; j < 100; j++) {
    const term = Math.exp(x * j * j);
    sum += sign * term;
    if (term <= 1e-17 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Asymptotic p-value Q_KS((√Ne + 0.12 + 0.11/√Ne) · D), Ne = n1·n2/(n1 + n2): Stephens' (1970) correction of the
 * limiting distribution, as in Numerical Recipes. scipy >= 1.5 evaluates the exact one-sample `kstwo.sf(D,
 * round(Ne))` instead; checked against that distribution (Marsaglia-Tsang-Wang) for Ne = 50 to 1000, the two
 * differ by under 1e-4 for p <= 0.1 and by up to 1e-2 near p = 0.5, so drift decisions at 0.05 agree.
 */
function asymptoticPValue(n1: number, n2: number, d: number): number {
  const sqrtEn = Math.sqrt((n1 * n2) / (n1 + n2));
  return kolmogorovSurvival((sqrtEn + 0.12 + 0.11 / sqrtEn) * d);
}

/** KS test of two samples already sorted ascending and checked finite (the drift module sorts once). */
export function ksTestSorted(reference: Float64Array, current: Float64Array): KsTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  const d = ksStatistic(reference, current);
  if (Math.max(n1, n2) <= KS_MAX_EXACT_SIZE) {
    const exact = exactPValue(n1, n2, d);
    if (exact !== undefined) return { ...exact, method: 'exact' };
  }
  return { statistic: d, pValue: asymptoticPValue(n1, n2, d), method: 'asymptotic' };
}

/** Two-sided two-sample KS test (scipy `ks_2samp(reference, current)`); throws on empty or non-finite input. */
export function ksTest(reference: ArrayLike<number>, current: ArrayLike<number>): KsTestResult {
  return ksTestSorted(sortedSample(reference, 'reference'), sortedSample(current, 'current'));
}
