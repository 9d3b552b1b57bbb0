// An item-level Poisson regression by iteratively reweighted least squares (with a Cholesky solve of its normal
// equations), and a column score that asks the per-period fits to agree: bench:identifiability's best case of what
// item counts say about the feature columns.

/** Ridge on β (not on the intercept) that keeps the normal equations well posed on columns no item varies along. */
export const RIDGE = 1;
const MAX_STEPS = 50;

/**
 * Solves A z = b for a symmetric positive definite A (row-major [m, m]) by Cholesky factorisation.
 */
export function solveSpd(A: Float64Array, b: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j];
      for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`matrix is not positive definite (pivot ${s} at ${i})`);
        L[i * m + i] = Math.sqrt(s);
      } else {
        L[i * m + j] = s / L[j * m + j];
      }
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * m + k] * y[k];
    y[i] = s / L[i * m + i];
  }
  const z = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < m; k++) s -= L[k * m + i] * z[k];
    z[i] = s / L[i * m + i];
  }
  return z;
}

/**
 * β of the Poisson regression log E[c_i] = a + offset_i + x_i · β over n items (x row-major [n, d]), by iteratively
 * reweighted least squares with `ridge` on β; the intercept a is fitted and left out of the result.
 */
export function poissonRegression(x: Float64Array, counts: Float64Array, d: number, offset?: Float64Array, ridge = RIDGE): Float64Array {
  const n = counts.length;
  const m = d + 1;
  let theta: Float64Array = new Float64Array(m);
  const total = counts.reduce((a, c) => a + c, 0);
  const offsetMean = offset ? offset.reduce((a, o) => a + o, 0) / n : 0;
  theta[0] = Math.log(Math.max(total, 1e-9) / n) - offsetMean;
  const row = new Float64Array(m);
  for (let step = 0; step < MAX_STEPS; step++) {
    const A = new Float64Array(m * m);
    const b = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      row[0] = 1;
      for (let j = 0; j < d; j++) row[j + 1] = x[i * d + j];
      let eta = offset ? offset[i] : 0;
      for (let p = 0; p < m; p++) eta += theta[p] * row[p];
      const mu = Math.exp(eta);
      // working response without the offset: z = η − offset + (c − μ)/μ, weight μ
      const z = eta - (offset ? offset[i] : 0) + (counts[i] - mu) / mu;
      for (let p = 0; p < m; p++) {
        b[p] += mu * row[p] * z;
        for (let q = 0; q <= p; q++) A[p * m + q] += mu * row[p] * row[q];
      }
    }
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < p; q++) A[q * m + p] = A[p * m + q];
      if (p > 0) A[p * m + p] += ridge;
    }
    const next = solveSpd(A, b, m);
    let change = 0;
    for (let p = 0; p < m; p++) change = Math.max(change, Math.abs(next[p] - theta[p]));
    theta = next;
    if (change < 1e-7) break;
  }
  return theta.slice(1);
}

/** Per column: |mean_e β_e| − 2 sd_e β_e over the periods' regressions (large, and the same in every period). */
export function stableScore(betas: Float64Array[]): Float64Array {
  const d = betas[0].length;
  const E = betas.length;
  return Float64Array.from({ length: d }, (_, j) => {
    const mean = betas.reduce((a, b) => a + b[j], 0) / E;
    const sd = Math.sqrt(betas.reduce((a, b) => a + (b[j] - mean) ** 2, 0) / E);
    return Math.abs(mean) - 2 * sd;
  });
}
