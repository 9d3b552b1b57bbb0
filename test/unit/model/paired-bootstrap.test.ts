// The paired bootstrap of a lift over a baseline: resamples worked by hand with fixed draws, the percentile rule, and
// the cases with no interval.
import { pairedLiftInterval, percentile } from '@eior/model';

/** Draws that replay `indexes` in order (each resample takes users.length of them). */
function replay(indexes: number[]): (users: number) => number {
  let k = 0;
  return () => indexes[k++];
}

describe('pairedLiftInterval', () => {
  it('reads the interval from resamples that keep both values of a drawn user', () => {
    // a = [1, 0, 2], b = [1, 1, 1]: the lift of the means is 3 / 3 − 1 = 0
    // resample 1 draws users 0, 0, 0: a 3, b 3 → 0
    // resample 2 draws users 1, 1, 0: a 1, b 3 → −2/3
    // resample 3 draws users 2, 2, 2: a 6, b 3 → 1
    // resample 4 draws users 2, 1, 0: a 3, b 3 → 0
    // sorted −2/3, 0, 0, 1; level 0.5 takes the ⌈0.25 · 4⌉ = 1st and ⌈0.75 · 4⌉ = 3rd: −2/3 and 0
    const interval = pairedLiftInterval([1, 0, 2], [1, 1, 1], { resamples: 4, level: 0.5, draw: replay([0, 0, 0, 1, 1, 0, 2, 2, 2, 2, 1, 0]) });
    expect(interval).not.toBeNull();
    expect(interval!.low).toBeCloseTo(-2 / 3, 12);
    expect(interval!.high).toBe(0);
    expect(interval).toMatchObject({ level: 0.5, resamples: 4 });
  });

  it('leaves out a resample whose baseline is 0, which has no lift', () => {
    // a = [1, 1], b = [0, 2]: users 0, 0 give b 0 (left out); users 1, 1 give 2 / 4 − 1 = −0.5; users 0, 1 give 2 / 2 − 1 = 0
    const interval = pairedLiftInterval([1, 1], [0, 2], { resamples: 3, level: 0.5, draw: replay([0, 0, 1, 1, 0, 1]) });
    expect(interval).toMatchObject({ low: -0.5, high: 0 });
  });

  it('gives the same interval for the same values and seed, and a point when every user has the same ratio', () => {
    const a = Float32Array.from({ length: 50 }, (_, u) => (u % 7) / 10);
    const b = Float32Array.from({ length: 50 }, (_, u) => (u % 5) / 10 + 0.05);
    expect(pairedLiftInterval(a, b, { seed: 3 })).toEqual(pairedLiftInterval(a, b, { seed: 3 }));
    const doubled = Float32Array.from(b, (v) => 2 * v);
    const point = pairedLiftInterval(doubled, b)!;
    expect(point.low).toBeCloseTo(1, 6);
    expect(point.high).toBeCloseTo(1, 6);
  });

  it('holds the lift of the means between its ends on noisy values', () => {
    const a = Float32Array.from({ length: 400 }, (_, u) => ((u * 37) % 11) / 10);
    const b = Float32Array.from({ length: 400 }, (_, u) => ((u * 53) % 13) / 12);
    const lift = a.reduce((s, v) => s + v, 0) / b.reduce((s, v) => s + v, 0) - 1;
    const interval = pairedLiftInterval(a, b)!;
    expect(interval.low).toBeLessThan(lift);
    expect(interval.high).toBeGreaterThan(lift);
    expect(interval).toMatchObject({ level: 0.95, resamples: 2000 });
  });

  it('states no interval without users or when the baseline scores 0, and refuses unpaired values', () => {
    expect(pairedLiftInterval([], [])).toBeNull();
    expect(pairedLiftInterval([1, 2], [0, 0])).toBeNull();
    expect(() => pairedLiftInterval([1, 2], [1])).toThrow('paired values of 2 and 1 users: expected the same users in both');
    expect(() => pairedLiftInterval([1], [1], { level: 1 })).toThrow('level = 1: expected a number between 0 and 1');
    expect(() => pairedLiftInterval([1], [1], { resamples: 0 })).toThrow('resamples = 0: expected a positive integer');
  });
});

describe('percentile', () => {
  it('takes the nearest rank, ⌈q·n⌉, and keeps 2.5 % of 2,000 at the 50th value', () => {
    const sorted = Array.from({ length: 2000 }, (_, k) => k + 1);
    expect(percentile(sorted, (1 - 0.95) / 2)).toBe(50);
    expect(percentile(sorted, 1 - (1 - 0.95) / 2)).toBe(1950);
    expect(percentile([4, 7, 9], 0)).toBe(4);
    expect(percentile([4, 7, 9], 0.5)).toBe(7);
    expect(percentile([4, 7, 9], 1)).toBe(9);
  });
});
