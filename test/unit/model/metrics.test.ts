import { idealDcg, userMetrics } from '@eior/model';

describe('userMetrics', () => {
  // ranked [5, 2, 9, 1, 7], positives {2, 7, 8}: hits at ranks 2 and 5 (1-based)
  const ranked = [5, 2, 9, 1, 7];
  const positives = new Set([2, 7, 8]);

  it('computes recall, precision, NDCG and hit rate at K under the standard protocol', () => {
    const [at2, at5] = userMetrics(ranked, positives, [2, 5], 'standard');
    expect(at2.recall).toBeCloseTo(1 / 3, 10);
    expect(at2.precision).toBeCloseTo(1 / 2, 10);
    // DCG 1/log2(3); IDCG over min(3, 2) = 2 positions: 1 + 1/log2(3)
    expect(at2.ndcg).toBeCloseTo(0.38685280723454163, 10);
    expect(at2.hitRate).toBe(1);
    expect(at5.recall).toBeCloseTo(2 / 3, 10);
    expect(at5.precision).toBeCloseTo(2 / 5, 10);
    // DCG 1/log2(3) + 1/log2(6); IDCG over min(3, 5) = 3 positions: 1 + 1/log2(3) + 1/2
    expect(at5.ndcg).toBeCloseTo(0.4776237035032179, 10);
    expect(at5.hitRate).toBe(1);
  });

  it('takes the IDCG over the number of hits under the InvRL protocol', () => {
    const [at2, at5] = userMetrics(ranked, positives, [2, 5], 'invrl');
    expect(at2.ndcg).toBeCloseTo(0.6309297535714575, 10); // one hit: IDCG = 1
    expect(at5.ndcg).toBeCloseTo(0.6240505200038379, 10); // two hits: IDCG = 1 + 1/log2(3)
    expect(at5.recall).toBeCloseTo(2 / 3, 10);
    expect(at5.precision).toBeCloseTo(2 / 5, 10);
  });

  it('gives NDCG 1 when the positives fill the top of the list', () => {
    const [m] = userMetrics([4, 3, 0, 1], new Set([3, 4]), [4]);
    expect(m.ndcg).toBeCloseTo(1, 12);
    expect(m.recall).toBe(1);
    expect(m.precision).toBeCloseTo(0.5, 12);
  });

  it('gives zeros under both protocols when nothing is hit', () => {
    for (const protocol of ['standard', 'invrl'] as const) {
      const [m] = userMetrics([1, 3], new Set([9]), [2], protocol);
      expect(m).toEqual({ recall: 0, precision: 0, ndcg: 0, hitRate: 0 });
    }
  });

  it('divides precision by K even when the catalogue is shorter than K', () => {
    const [m] = userMetrics([0, 1], new Set([1]), [10]);
    expect(m.precision).toBeCloseTo(0.1, 12);
  });

  it('refuses a user without positives', () => {
    expect(() => userMetrics([0], new Set(), [1])).toThrow(/at least one positive/);
  });
});

describe('idealDcg', () => {
  it('sums 1/log2(r + 2) over the first n ranks', () => {
    expect(idealDcg(0)).toBe(0);
    expect(idealDcg(3)).toBeCloseTo(1 + 1 / Math.log2(3) + 0.5, 12);
  });
});
