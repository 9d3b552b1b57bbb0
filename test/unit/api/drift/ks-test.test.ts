import { kolmogorovSurvival, ksStatistic, ksTest, KS_MAX_EXACT_SIZE } from '../../../../apps/api/src/drift/ks-test';
import { DriftInputError } from '../../../../apps/api/src/drift/sample';
import { normalSample, seededRandom } from './seeded-random';

/**
 * Exact two-sided p-value by brute force, independent of the lattice-path code: under H0 every assignment of the
 * pooled ranks to the two samples is equally likely, so p = share of the C(m+n, m) assignments whose D >= D_obs.
 */
function bruteForcePValue(x: number[], y: number[]): number {
  const m = x.length;
  const n = y.length;
  const observed = ksStatistic(Float64Array.from(x).sort(), Float64Array.from(y).sort());
  let atLeast = 0;
  let total = 0;
  const visit = (position: number, chosen: number, inX: boolean[]): void => {
    if (position === m + n) {
      if (chosen !== m) return;
      total++;
      let fx = 0;
      let fy = 0;
      let d = 0;
      for (const isX of inX) {
        if (isX) fx++;
        else fy++;
        d = Math.max(d, Math.abs(fx / m - fy / n));
      }
      if (d >= observed - 1e-12) atLeast++;
      return;
    }
    if (chosen < m) visit(position + 1, chosen + 1, [...inX, true]);
    if (position - chosen < n) visit(position + 1, chosen, [...inX, false]);
  };
  visit(0, 0, []);
  return atLeast / total;
}

describe('ksStatistic', () => {
  it('is the largest gap between the empirical CDFs, ties counted after the tied value', () => {
    // F_x after 2 is 2/4 and F_y 0; after 4 (tied in both) F_x = 1 and F_y = 2/5: D = 0.6.
    const d = ksStatistic(Float64Array.of(1, 2, 3, 4), Float64Array.of(3, 4, 5, 6, 7));
    expect(d).toBeCloseTo(0.6, 15);
  });

  it('is 0 for identical samples and 1 for separated ones', () => {
    expect(ksStatistic(Float64Array.of(1, 2, 2, 3), Float64Array.of(1, 2, 2, 3))).toBe(0);
    expect(ksStatistic(Float64Array.of(1, 2), Float64Array.of(3, 4, 5))).toBe(1);
  });
});

describe('ksTest', () => {
  it('gives the exact p-value 2 / C(6, 3) = 0.1 for two separated samples of three', () => {
    const result = ksTest([1, 2, 3], [4, 5, 6]);
    expect(result).toEqual({ statistic: 1, pValue: expect.closeTo(0.1, 14), method: 'exact' });
  });

  it('gives the exact p-value 2 / C(5, 2) = 0.2 for separated samples of unequal size', () => {
    expect(ksTest([1, 2], [3, 4, 5]).pValue).toBeCloseTo(0.2, 14);
    expect(ksTest([3, 4, 5], [1, 2]).pValue).toBeCloseTo(0.2, 14);
  });

  it('matches a brute-force enumeration of all rank assignments for unequal and equal sizes', () => {
    const cases: Array<[number[], number[]]> = [
      [
        [0.1, 0.5, 0.9, 1.3, 2.0],
        [0.2, 0.3, 1.1, 1.5, 1.7, 2.5, 3.0],
      ],
      [
        [0.4, 1.2, 1.9, 2.2, 2.8, 3.3],
        [0.1, 0.7, 0.9, 1.5],
      ],
      [
        [0.15, 0.25, 0.6, 0.8, 1.4, 1.6],
        [0.3, 0.9, 1.0, 1.1, 1.8, 2.4],
      ],
      [
        [1, 2, 3, 4, 5, 6, 7],
        [2.5, 3.5, 8, 9, 10, 11, 12, 13],
      ],
    ];
    for (const [x, y] of cases) {
      const result = ksTest(x, y);
      expect(result.method).toBe('exact');
      expect(result.pValue).toBeCloseTo(bruteForcePValue(x, y), 12);
    }
  });

  it('gives p-value 1 for identical samples', () => {
    expect(ksTest([5, 1, 3], [3, 5, 1])).toEqual({ statistic: 0, pValue: 1, method: 'exact' });
  });

  it('is symmetric in its two samples', () => {
    const random = seededRandom(7);
    const a = normalSample(random, 300);
    const b = normalSample(random, 450, 0.2);
    expect(ksTest(a, b).pValue).toBeCloseTo(ksTest(b, a).pValue, 14);
  });

  it('is exact up to 10,000 values per sample and asymptotic beyond, the two agreeing at the boundary', () => {
    const random = seededRandom(11);
    const a = normalSample(random, KS_MAX_EXACT_SIZE);
    const b = normalSample(random, KS_MAX_EXACT_SIZE, 0.03);
    const exact = ksTest(a, b);
    const asymptotic = ksTest(a, Float64Array.of(...b, 0.03));
    expect(exact.method).toBe('exact');
    expect(asymptotic.method).toBe('asymptotic');
    expect(Math.abs(exact.pValue - asymptotic.pValue)).toBeLessThan(0.01);
  });

  it('rejects at about the nominal 5% rate when both samples come from one distribution', () => {
    const random = seededRandom(2024);
    let rejections = 0;
    const replicates = 400;
    for (let r = 0; r < replicates; r++) {
      if (ksTest(normalSample(random, 40), normalSample(random, 55)).pValue <= 0.05) rejections++;
    }
    // Binomial(400, <= 0.05): the exact test is slightly conservative on a discrete statistic.
    expect(rejections / replicates).toBeGreaterThan(0.02);
    expect(rejections / replicates).toBeLessThan(0.08);
  });

  it('finds no shift in two large samples of one distribution and a small shift in a shifted one', () => {
    const random = seededRandom(3);
    const reference = normalSample(random, 20000);
    expect(ksTest(reference, normalSample(random, 30000)).pValue).toBeGreaterThan(0.05);
    expect(ksTest(reference, normalSample(random, 30000, 0.1)).pValue).toBeLessThan(1e-6);
  });

  it('rejects empty samples and non-finite values with a message naming them', () => {
    expect(() => ksTest([], [1])).toThrow(new DriftInputError('reference sample is empty: expected at least one finite number'));
    expect(() => ksTest([1, 2], [1, Number.NaN])).toThrow('current[1] is NaN: expected a finite number');
  });
});

describe('kolmogorovSurvival', () => {
  it('gives the tabulated critical values of the Kolmogorov distribution', () => {
    expect(kolmogorovSurvival(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
  });

  it('is continuous where it switches series at λ = 1.18, and 1 at 0', () => {
    expect(kolmogorovSurvival(1.18 - 1e-9)).toBeCloseTo(kolmogorovSurvival(1.18), 8);
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(0.1)).toBe(1);
  });
});
