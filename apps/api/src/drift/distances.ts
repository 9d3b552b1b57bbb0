// Distances between a reference and a current distribution, as Evidently computes them: Wasserstein-1 normed by
// the reference standard deviation (`wasserstein`), Jensen-Shannon distance (`jensenshannon`), and PSI (`psi`).
import { populationStd, sortedSample } from './sample';

/** Evidently divides by max(std(reference), 0.001), so a constant reference does not divide by zero. */
export const MIN_WASSERSTEIN_NORM = 0.001;

/**
 * Exact Wasserstein-1 distance ∫ |U(x) - V(x)| dx between the empirical CDFs of two ascending samples
 * (scipy.stats.wasserstein_distance without weights): one merge over the distinct values, O(n1 + n2).
 */
export function wassersteinSorted(u: Float64Array, v: Float64Array): number {
  let i = 0;
  let j = 0;
  let distance = 0;
  let previous = 0;
  let previousGap = 0;
  let started = false;
  while (i < u.length || j < v.length) {
    const x = j >= v.length || (i < u.length && u[i] <= v[j]) ? u[i] : v[j];
    // Between the previous distinct value and x both CDFs are flat at their values after `previous`.
    if (started) distance += previousGap * (x - previous);
    while (i < u.length && u[i] <= x) i++;
    while (j < v.length && v[j] <= x) j++;
    previousGap = Math.abs(i / u.length - j / v.length);
    previous = x;
    started = true;
  }
  return distance;
}

/** Wasserstein-1 distance between two samples (scipy `wasserstein_distance(u, v)`); throws on empty or non-finite input. */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return wassersteinSorted(sortedSample(u, 'u'), sortedSample(v, 'v'));
}

/** Evidently's normed Wasserstein: W1(reference, current) / max(np.std(reference), 0.001), on ascending samples. */
export function normedWassersteinSorted(reference: Float64Array, current: Float64Array): number {
  const norm = Math.max(populationStd(reference), MIN_WASSERSTEIN_NORM);
  return wassersteinSorted(reference, current) / norm;
}

/** Evidently's normed Wasserstein distance of two samples; throws on empty or non-finite input. */
export function normedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return normedWassersteinSorted(sortedSample(reference, 'reference'), sortedSample(current, 'current'));
}

function checkDistribution(weights: ArrayLike<number>, name: string): number {
  let total = 0;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k];
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new RangeError(`${name}[${k}] is ${w}: expected a finite weight >= 0`);
    }
    total += w;
  }
  if (!(total > 0)) throw new RangeError(`${name} adds up to ${total}: expected a positive total`);
  return total;
}

function checkSameLength(p: ArrayLike<number>, q: ArrayLike<number>): void {
  if (p.length !== q.length) {
    throw new RangeError(`distributions have ${p.length} and ${q.length} bins: expected the same bins`);
  }
}

/** x ln(x / y) with scipy `rel_entr`'s conventions for x = 0; here y >= x / 2 > 0 whenever x > 0. */
function relativeEntropyTerm(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

/**
 * Jensen-Shannon distance as scipy.spatial.distance.jensenshannon(p, q) computes it with its default natural
 * log: p and q are normalised, m = (p + q)/2, distance = √((KL(p‖m) + KL(q‖m)) / 2). Identical distributions
 * give 0, disjoint ones √(ln 2). Current Evidently passes base=None (natural log); some earlier releases passed
 * base=2, which divides the divergence by ln 2.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkSameLength(p, q);
  const pTotal = checkDistribution(p, 'p');
  const qTotal = checkDistribution(q, 'q');
  let divergence = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = p[k] / pTotal;
    const qk = q[k] / qTotal;
    const mk = (pk + qk) / 2;
    divergence += relativeEntropyTerm(pk, mk) + relativeEntropyTerm(qk, mk);
  }
  // Rounding can leave a sum of non-negative terms a hair below zero; the square root must not see it.
  return Math.sqrt(Math.max(0, divergence) / 2);
}

/**
 * Population stability index Σ (r_k - c_k) ln(r_k / c_k) over bins whose shares are all > 0 (Evidently fills
 * empty bins first, see `fillZeroes`).
 */
export function populationStabilityIndex(referenceShares: ArrayLike<number>, currentShares: ArrayLike<number>): number {
  checkSameLength(referenceShares, currentShares);
  let value = 0;
  for (let k = 0; k < referenceShares.length; k++) {
    const r = referenceShares[k];
    const c = currentShares[k];
    if (!(r > 0) || !(c > 0) || !Number.isFinite(r) || !Number.isFinite(c)) {
      throw new RangeError(`bin ${k} has shares ${r} (reference) and ${c} (current): expected finite shares > 0`);
    }
    value += (r - c) * Math.log(r / c);
  }
  return value;
}
