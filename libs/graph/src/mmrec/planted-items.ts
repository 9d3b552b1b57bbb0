// The items of a generated dataset: a Zipf popularity prior and, per modality, features made of invariant,
// spurious and noise dimensions (README "Generated data"). Held in memory: one row per item.
import type { Prng } from './prng';
import { GENERATED_MODALITIES, type GenerateConfig } from './generate-config';

export interface PlantedModality {
  name: string;
  width: number;
  /** Columns whose effect on preference is the same in every period (sorted). */
  invariantDims: number[];
  /** c: sign of each invariant column's global effect, in the order of invariantDims. */
  invariantSigns: number[];
  /** Columns whose effect flips sign between the training periods and the test period (sorted). */
  spuriousDims: number[];
  /** d: sign of each spurious column's effect in the training periods, in the order of spuriousDims. */
  spuriousSigns: number[];
  /** Columns with no effect at all. */
  noiseDims: number[];
  /** Row-major [items, width]; row i = item i. */
  features: Float32Array;
}

export interface PlantedItems {
  /** π_i: proposal probability of item i, Zipf-Mandelbrot over a random popularity rank; sums to 1. */
  popularity: Float64Array;
  modalities: PlantedModality[];
  /** g_i = c · z_i / √K over all invariant columns (K of them): about unit variance. */
  globalScore: Float64Array;
  /** h_i = d · x_spurious / √(number of spurious columns): about unit variance. */
  spuriousScore: Float64Array;
  /** Row-major [items, K]: the invariant columns of all modalities side by side, for the user's taste p_u · z_i. */
  invariantFeatures: Float32Array;
  /** K: invariant columns over all modalities. */
  invariantWidth: number;
}

export function plantItems(rng: Prng, config: GenerateConfig): PlantedItems {
  const n = config.items;
  const popularity = zipfPopularity(rng, n, config.popularityExponent, config.popularityOffset * n);
  const modalities = GENERATED_MODALITIES.slice(0, config.modalities).map(({ name, width }) => {
    const columns = rng.shuffle(Int32Array.from({ length: width }, (_, k) => k));
    const pick = (from: number, to: number) => Array.from(columns.subarray(from, to)).sort((x, y) => x - y);
    const invariantDims = pick(0, config.invariantDims);
    const spuriousDims = pick(config.invariantDims, config.invariantDims + config.spuriousDims);
    const noiseDims = pick(config.invariantDims + config.spuriousDims, width);
    const features = new Float32Array(n * width);
    for (let k = 0; k < features.length; k++) features[k] = rng.nextNormal();
    return {
      name,
      width,
      invariantDims,
      invariantSigns: invariantDims.map(() => rng.nextSign()),
      spuriousDims,
      spuriousSigns: spuriousDims.map(() => rng.nextSign()),
      noiseDims,
      features,
    };
  });

  orthonormalise(modalities, popularity);

  const invariantWidth = config.invariantDims * modalities.length;
  const spuriousWidth = config.spuriousDims * modalities.length;
  const globalScore = new Float64Array(n);
  const spuriousScore = new Float64Array(n);
  const invariantFeatures = new Float32Array(n * invariantWidth);
  for (let i = 0; i < n; i++) {
    let g = 0;
    let h = 0;
    let k = 0;
    for (const m of modalities) {
      const row = i * m.width;
      m.invariantDims.forEach((col, j) => {
        const x = m.features[row + col];
        invariantFeatures[i * invariantWidth + k++] = x;
        g += m.invariantSigns[j] * x;
      });
      m.spuriousDims.forEach((col, j) => {
        h += m.spuriousSigns[j] * m.features[row + col];
      });
    }
    globalScore[i] = g / Math.sqrt(invariantWidth);
    spuriousScore[i] = h / Math.sqrt(spuriousWidth);
  }
  return { popularity, modalities, globalScore, spuriousScore, invariantFeatures, invariantWidth };
}

/** π_i ∝ (rank_i + offset)^-s, ranks 1..n in random order so that popularity says nothing about the item id. */
function zipfPopularity(rng: Prng, n: number, exponent: number, offset: number): Float64Array {
  const rank = rng.shuffle(Int32Array.from({ length: n }, (_, k) => k));
  const popularity = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += popularity[i] = (rank[i] + 1 + offset) ** -exponent;
  for (let i = 0; i < n; i++) popularity[i] /= total;
  return popularity;
}

type Column = { features: Float32Array; width: number; col: number };

/**
 * Makes the features a designed experiment rather than a random draw, so that what is measured on the
 * interactions is what was planted, not an accident of a finite catalogue:
 * - every column has plain mean 0 and popularity-weighted mean 0 (orthogonal to 1 and to π), so popularity
 *   carries no feature signal and a column's mean over interactions, against 0, is its preference effect;
 * - the invariant and spurious columns of all modalities are orthonormal under the π-weighted inner
 *   product <x, y> = Σ π_i x_i y_i (Gram-Schmidt), and noise columns are orthogonal to them, so that
 *   no column picks up another one's effect through a chance correlation;
 * - every column has π-weighted variance 1, so scale tells planted columns from noise columns apart.
 */
function orthonormalise(modalities: PlantedModality[], popularity: Float64Array): void {
  const columns = (pick: (m: PlantedModality) => number[]): Column[] =>
    modalities.flatMap((m) => pick(m).map((col) => ({ features: m.features, width: m.width, col })));
  const planted = columns((m) => [...m.invariantDims, ...m.spuriousDims]);
  const noise = columns((m) => m.noiseDims);
  for (const c of [...planted, ...noise]) removeConstantAndPopularity(c, popularity);
  for (const [k, c] of planted.entries()) {
    for (let j = 0; j < k; j++) subtractProjection(c, planted[j], popularity);
    normalise(c, popularity);
  }
  for (const c of noise) {
    for (const p of planted) subtractProjection(c, p, popularity);
    normalise(c, popularity);
  }
}

/** x <- x - a - bπ with a, b such that Σ x = 0 and Σ π x = 0 (Σ π = 1); only uniform popularity needs b = 0. */
function removeConstantAndPopularity({ features, width, col }: Column, popularity: Float64Array): void {
  const n = popularity.length;
  let pp = 0;
  let sx = 0;
  let spx = 0;
  for (let i = 0; i < n; i++) {
    const x = features[i * width + col];
    pp += popularity[i] * popularity[i];
    sx += x;
    spx += popularity[i] * x;
  }
  const det = n * pp - 1;
  const uniform = det <= 1e-12 * n * pp;
  const a = uniform ? sx / n : (sx * pp - spx) / det;
  const b = uniform ? 0 : (n * spx - sx) / det;
  for (let i = 0; i < n; i++) features[i * width + col] -= a + b * popularity[i];
}

function innerProduct(x: Column, y: Column, popularity: Float64Array): number {
  let s = 0;
  for (let i = 0; i < popularity.length; i++) s += popularity[i] * x.features[i * x.width + x.col] * y.features[i * y.width + y.col];
  return s;
}

/** x <- x - <x, y> y for a y of unit π-norm. */
function subtractProjection(x: Column, y: Column, popularity: Float64Array): void {
  const r = innerProduct(x, y, popularity);
  for (let i = 0; i < popularity.length; i++) x.features[i * x.width + x.col] -= r * y.features[i * y.width + y.col];
}

function normalise(x: Column, popularity: Float64Array): void {
  const norm = Math.sqrt(innerProduct(x, x, popularity));
  for (let i = 0; i < popularity.length; i++) x.features[i * x.width + x.col] /= norm;
}
