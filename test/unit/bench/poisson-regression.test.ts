import { poissonRegression, solveSpd, stableScore } from '../../../bench/model/poisson-regression';

describe("bench:identifiability's item-level regression", () => {
  it('solves a symmetric positive definite system (hand-worked: [[4, 2], [2, 3]] z = [2, 5] gives z = [-0.5, 2])', () => {
    const z = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 5]), 2);
    expect(z[0]).toBeCloseTo(-0.5, 12);
    expect(z[1]).toBeCloseTo(2, 12);
    expect(() => solveSpd(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(/not positive definite/);
  });

  it('finds the Poisson maximum likelihood: one ±1 column, counts 8, 8, 2, 2 give β = ½ ln 4; an offset ln 2 on the first two halves it', () => {
    const x = Float64Array.from([1, 1, -1, -1]);
    const counts = Float64Array.from([8, 8, 2, 2]);
    // a + β = ln 8 and a − β = ln 2
    expect(poissonRegression(x, counts, 1, undefined, 0)[0]).toBeCloseTo(Math.log(2), 8);
    // a + ln 2 + β = ln 8 and a − β = ln 2: β = ½ ln 2
    expect(poissonRegression(x, counts, 1, Float64Array.from([Math.LN2, Math.LN2, 0, 0]), 0)[0]).toBeCloseTo(Math.LN2 / 2, 8);
    // the ridge shrinks β towards 0
    const ridged = poissonRegression(x, counts, 1)[0];
    expect(ridged).toBeGreaterThan(0);
    expect(ridged).toBeLessThan(Math.log(2));
  });

  it('scores a column by |mean| − 2 sd over the periods (hand-worked)', () => {
    // column 0: 1 and 3, mean 2, sd 1 → 0; column 1: −2 and −2 → 2
    const score = stableScore([Float64Array.from([1, -2]), Float64Array.from([3, -2])]);
    expect(Array.from(score)).toEqual([0, 2]);
  });
});
