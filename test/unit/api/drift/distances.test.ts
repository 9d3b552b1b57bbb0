import {
  jensenShannonDistance,
  normedWasserstein,
  populationStabilityIndex,
  wassersteinDistance,
} from '../../../../apps/api/src/drift/distances';
import { normalSample, seededRandom } from './seeded-random';

describe('wassersteinDistance', () => {
  it('is the shift between a sample and its shifted copy (scipy docs: [0, 1, 3] vs [5, 6, 8] = 5)', () => {
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 14);
    const random = seededRandom(1);
    const sample = normalSample(random, 1000);
    expect(wassersteinDistance(sample, sample.map((v) => v + 2.5))).toBeCloseTo(2.5, 10);
  });

  it('integrates |U - V| for samples of different sizes: [0, 1] vs [0] = 1/2', () => {
    expect(wassersteinDistance([0, 1], [0])).toBeCloseTo(0.5, 15);
    expect(wassersteinDistance([0], [0, 1])).toBeCloseTo(0.5, 15);
  });

  it('equals the mean gap between matched order statistics for samples of equal size', () => {
    // For equal sizes the optimal coupling pairs the i-th smallest of each sample: an independent computation.
    const random = seededRandom(2);
    const u = normalSample(random, 500);
    const v = normalSample(random, 500, 0.3, 2);
    const su = Float64Array.from(u).sort();
    const sv = Float64Array.from(v).sort();
    let gaps = 0;
    for (let i = 0; i < su.length; i++) gaps += Math.abs(su[i] - sv[i]);
    expect(wassersteinDistance(u, v)).toBeCloseTo(gaps / su.length, 12);
  });

  it('is 0 for identical samples and symmetric', () => {
    expect(wassersteinDistance([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(wassersteinDistance([0, 4, 4.5], [1, 9])).toBeCloseTo(wassersteinDistance([1, 9], [0, 4, 4.5]), 14);
  });
});

describe('normedWasserstein', () => {
  it('divides by the population standard deviation of the reference', () => {
    // std([0, 2]) = 1 (ddof 0), W1([0, 2], [1, 3]) = 1.
    expect(normedWasserstein([0, 2], [1, 3])).toBeCloseTo(1, 15);
    expect(normedWasserstein([0, 4], [1, 5])).toBeCloseTo(0.5, 15);
  });

  it('divides by 0.001 when the reference is constant', () => {
    expect(normedWasserstein([1, 1, 1], [1.002, 1.002])).toBeCloseTo(2, 10);
  });
});

describe('jensenShannonDistance', () => {
  it('is 0 for identical distributions and √(ln 2) for disjoint ones (natural log)', () => {
    expect(jensenShannonDistance([0.2, 0.5, 0.3], [0.2, 0.5, 0.3])).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 15);
  });

  it('matches the hand computation for [1/2, 1/2] vs [1, 0]: √(3/4 · ln(4/3))', () => {
    // m = [3/4, 1/4]: KL(p‖m) = ½ ln(4/3), KL(q‖m) = ln(4/3), distance = √((3/2 · ln(4/3)) / 2).
    expect(jensenShannonDistance([0.5, 0.5], [1, 0])).toBeCloseTo(Math.sqrt(0.75 * Math.log(4 / 3)), 15);
  });

  it('normalises counts to distributions and is symmetric', () => {
    expect(jensenShannonDistance([5, 5], [20, 0])).toBeCloseTo(jensenShannonDistance([0.5, 0.5], [1, 0]), 15);
    expect(jensenShannonDistance([1, 2, 3], [3, 1, 1])).toBeCloseTo(jensenShannonDistance([3, 1, 1], [1, 2, 3]), 15);
  });

  it('rejects distributions of different lengths or with negative weights', () => {
    expect(() => jensenShannonDistance([1, 0], [1])).toThrow('distributions have 2 and 1 bins: expected the same bins');
    expect(() => jensenShannonDistance([1, -1], [1, 1])).toThrow('p[1] is -1: expected a finite weight >= 0');
  });
});

describe('populationStabilityIndex', () => {
  it('matches the hand computation for [1/2, 1/2] vs [1/4, 3/4]: ¼ ln 3', () => {
    // (1/2 - 1/4) ln 2 + (1/2 - 3/4) ln(2/3) = ¼ (ln 2 + ln 3/2) = ¼ ln 3.
    expect(populationStabilityIndex([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.log(3), 15);
  });

  it('is 0 for identical shares and symmetric', () => {
    expect(populationStabilityIndex([0.1, 0.9], [0.1, 0.9])).toBe(0);
    expect(populationStabilityIndex([0.3, 0.7], [0.6, 0.4])).toBeCloseTo(populationStabilityIndex([0.6, 0.4], [0.3, 0.7]), 15);
  });

  it('rejects an empty bin, which Evidently fills before computing', () => {
    expect(() => populationStabilityIndex([0.5, 0.5], [1, 0])).toThrow(
      'bin 1 has shares 0.5 (reference) and 0 (current): expected finite shares > 0',
    );
  });
});
