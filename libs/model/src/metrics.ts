// Ranking metrics of one user (docs/method.md#8-evaluation): Recall, Precision, NDCG and hit rate at K.
// `standard`: IDCG over min(|positives|, K). `invrl`: InvRL's code, IDCG over min(hits, K) (NDCG 0 without hits).

/** `standard` is the default everywhere; `invrl` reproduces InvRL's figures for comparison only. */
export type EvalProtocol = 'standard' | 'invrl';

export interface MetricsAtK {
  recall: number;
  precision: number;
  ndcg: number;
  hitRate: number;
}

/** Σ_(r < n) 1 / log2(r + 2): the DCG of n hits at the top. */
export function idealDcg(n: number): number {
  let sum = 0;
  for (let r = 0; r < n; r++) sum += 1 / Math.log2(r + 2);
  return sum;
}

/**
 * Metrics at each k of `ks` for one user, from the ranked items (best first, at least max(ks) long unless the
 * catalogue is shorter) and the user's held-out positives (at least one).
 */
export function userMetrics(
  ranked: ArrayLike<number>,
  positives: ReadonlySet<number>,
  ks: readonly number[],
  protocol: EvalProtocol = 'standard',
): MetricsAtK[] {
  if (positives.size === 0) throw new RangeError('userMetrics needs at least one positive');
  return ks.map((k) => {
    let hits = 0;
    let dcg = 0;
    const depth = Math.min(k, ranked.length);
    for (let r = 0; r < depth; r++) {
      if (positives.has(ranked[r])) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
      }
    }
    const idcg = protocol === 'standard' ? idealDcg(Math.min(positives.size, k)) : idealDcg(Math.min(hits, k));
    return {
      recall: hits / positives.size,
      precision: hits / k,
      ndcg: idcg > 0 ? dcg / idcg : 0,
      hitRate: hits > 0 ? 1 : 0,
    };
  });
}
