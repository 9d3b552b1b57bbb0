// Which interactions a drift comparison tests: pair sets, subsets by a predicate, and seeded subsamples. Large
// sets are subsampled without replacement so a report stays fast on real data; Evidently's method choice only
// depends on whether a side has more than 1,000 rows, which a 5,000-row sample keeps.

export const MAX_ROWS_PER_SIDE = 5_000;

export interface PairSet {
  users: Int32Array;
  items: Int32Array;
}

/** A reproducible subsample of at most `max` of the indexes 0..n-1, sorted (partial Fisher-Yates, fixed seed). */
export function sampleRows(n: number, max = MAX_ROWS_PER_SIDE, seed = 1): Int32Array {
  const order = Int32Array.from({ length: n }, (_, k) => k);
  if (n <= max) return order;
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let k = 0; k < max; k++) {
    const j = k + Math.floor(next() * (n - k));
    [order[k], order[j]] = [order[j], order[k]];
  }
  return order.slice(0, max).sort();
}
