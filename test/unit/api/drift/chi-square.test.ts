import { chiSquareFromCounts, chiSquareTest } from '../../../../apps/api/src/drift/chi-square';
import { zTest } from '../../../../apps/api/src/drift/z-test';
import { categoricalSample, repeated, seededRandom } from './seeded-random';

describe('chiSquareFromCounts', () => {
  it('compares current counts with reference proportions: 2 + 10/3 on df 2 gives p = e^{-8/3}', () => {
    // expected = [50, 30, 20]; (40-50)²/50 + (40-30)²/30 + 0 = 16/3.
    const result = chiSquareFromCounts([50, 30, 20], [40, 40, 20]);
    expect(result.statistic).toBeCloseTo(16 / 3, 13);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.pValue).toBeCloseTo(Math.exp(-8 / 3), 14);
  });

  it('rescales the reference counts to the current total', () => {
    const result = chiSquareFromCounts([100, 60, 40], [40, 40, 20]);
    expect(result.statistic).toBeCloseTo(16 / 3, 13);
    expect(result.pValue).toBeCloseTo(Math.exp(-8 / 3), 14);
  });

  it('gives statistic Infinity and p-value 0 when the current has a category the reference lacks', () => {
    expect(chiSquareFromCounts([10, 10, 0], [10, 9, 1])).toEqual({ statistic: Infinity, degreesOfFreedom: 2, pValue: 0 });
  });

  it('gives p-value 1 when there is a single category', () => {
    expect(chiSquareFromCounts([10], [3]).pValue).toBe(1);
  });

  it('rejects misaligned or negative counts', () => {
    expect(() => chiSquareFromCounts([1, 2], [1])).toThrow(
      'referenceCounts has 2 categories and currentCounts 1: expected the same categories',
    );
    expect(() => chiSquareFromCounts([1, -2], [1, 1])).toThrow('referenceCounts[1] is -2: expected a finite count >= 0');
    expect(() => chiSquareFromCounts([0, 0], [1, 1])).toThrow('referenceCounts add up to 0: expected a positive total');
  });
});

describe('chiSquareTest', () => {
  it('counts categories of both samples, whatever their order', () => {
    const reference = [...repeated([7], 50), ...repeated([3], 30), ...repeated([9], 20)].reverse();
    const current = [...repeated([3], 40), ...repeated([9], 20), ...repeated([7], 40)];
    expect(chiSquareTest(reference, current).pValue).toBeCloseTo(Math.exp(-8 / 3), 14);
  });

  it('finds no drift between samples of one distribution and drift when the proportions move', () => {
    const random = seededRandom(5);
    const probabilities = [0.4, 0.3, 0.2, 0.1];
    const reference = categoricalSample(random, 1000, probabilities);
    expect(chiSquareTest(reference, categoricalSample(random, 200, probabilities)).pValue).toBeGreaterThan(0.05);
    expect(chiSquareTest(reference, categoricalSample(random, 1000, [0.3, 0.3, 0.25, 0.15])).pValue).toBeLessThan(1e-4);
  });

  it("treats the reference proportions as exact, as Evidently does, so equal-size samples reject too often", () => {
    // Goodness of fit, not a two-sample contingency test: with n_current = n_reference the statistic is about
    // 2·χ²_3 under H0, so Pr(p < 0.05) = Pr(χ²_3 > 7.815 / 2) ≈ 0.27; with n_current = n_reference / 10, about 0.07.
    const random = seededRandom(8);
    const probabilities = [0.4, 0.3, 0.2, 0.1];
    const rejectionRate = (currentSize: number): number => {
      let rejections = 0;
      for (let r = 0; r < 400; r++) {
        const reference = categoricalSample(random, 1000, probabilities);
        if (chiSquareTest(reference, categoricalSample(random, currentSize, probabilities)).pValue < 0.05) rejections++;
      }
      return rejections / 400;
    };
    const equalSizes = rejectionRate(1000);
    expect(equalSizes).toBeGreaterThan(0.2);
    expect(equalSizes).toBeLessThan(0.34);
    const smallCurrent = rejectionRate(100);
    expect(smallCurrent).toBeGreaterThan(0.03);
    expect(smallCurrent).toBeLessThan(0.12);
  });
});

describe('zTest', () => {
  it('gives p = erfc(2) for shares 0.4 and 0.6 of 100 rows each (z = -2√2)', () => {
    // pooled share 0.5: z = (0.4 - 0.6) / √(0.25 · 0.02) = -2√2, p = 2(1 - Φ(2√2)) = erfc(2).
    const result = zTest([...repeated([0], 60), ...repeated([1], 40)], [...repeated([0], 40), ...repeated([1], 60)]);
    expect(result.statistic).toBeCloseTo(-2 * Math.SQRT2, 13);
    expect(result.pValue).toBeCloseTo(0.004677734981047266, 15);
  });

  it('does not depend on which category has the smaller code', () => {
    const reference = [...repeated([0], 70), ...repeated([1], 30)];
    const current = [...repeated([0], 55), ...repeated([1], 45)];
    const swap = (values: number[]) => values.map((v) => 1 - v);
    expect(zTest(swap(reference), swap(current)).pValue).toBeCloseTo(zTest(reference, current).pValue, 14);
  });

  it('gives p-value 1 when both samples hold the same single value', () => {
    expect(zTest([4, 4, 4], [4, 4])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('gives a tiny p-value when each sample holds a different single value', () => {
    expect(zTest(repeated([0], 50), repeated([1], 50)).pValue).toBeLessThan(1e-20);
  });
});
