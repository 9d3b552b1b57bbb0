import {
  chiSquareSurvival,
  erfc,
  lnGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../../../apps/api/src/drift/special-functions';

/** Σ_{i<k} e^{-x} x^i / i!: Q(k, x) for integer k, the Poisson identity, summed independently of the gamma code. */
function poissonTail(k: number, x: number): number {
  let term = Math.exp(-x);
  let sum = term;
  for (let i = 1; i < k; i++) {
    term *= x / i;
    sum += term;
  }
  return sum;
}

describe('lnGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(2)).toBeCloseTo(0, 14);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    let logFactorial50 = 0;
    for (let k = 2; k <= 50; k++) logFactorial50 += Math.log(k);
    expect(lnGamma(51)).toBeCloseTo(logFactorial50, 10);
  });

  it('uses the reflection formula below 1/2: Γ(0.1) = 9.513507698668732', () => {
    expect(lnGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 13);
  });

  it('rejects arguments outside its domain, naming the value', () => {
    expect(() => lnGamma(0)).toThrow('lnGamma argument is 0: expected a finite number > 0');
    expect(() => lnGamma(Number.NaN)).toThrow(/NaN/);
  });
});

describe('regularizedGammaP and regularizedGammaQ', () => {
  it('give P(1, x) = 1 - e^-x on both sides of x = a + 1 (series and continued fraction)', () => {
    for (const x of [0.01, 0.5, 1.9, 2.1, 5, 30]) {
      expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14);
      expect(regularizedGammaQ(1, x)).toBeCloseTo(Math.exp(-x), 14);
    }
  });

  it('add up to one', () => {
    for (const a of [0.5, 1.5, 4, 25, 300]) {
      for (const x of [0.1, a / 2, a, a + 1, 2 * a + 3]) {
        expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 13);
      }
    }
  });

  it('match the Poisson tail Q(k, x) = Σ_{i<k} e^-x x^i / i! for integer k, small and large', () => {
    for (const [k, x] of [
      [3, 1],
      [3, 7],
      [10, 8],
      [50, 45],
      [50, 60],
      [200, 230],
    ]) {
      const expected = poissonTail(k, x);
      expect(Math.abs(regularizedGammaQ(k, x) - expected)).toBeLessThan(1e-12 * Math.max(1, expected) + 1e-14);
    }
  });

  it('keeps precision deep in the upper tail', () => {
    // Q(1, 700) = e^-700 ≈ 9.86e-305: relative accuracy, not just absolute.
    expect(regularizedGammaQ(1, 700) / Math.exp(-700)).toBeCloseTo(1, 10);
  });

  it('handle the ends x = 0 and x = Infinity', () => {
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
  });

  it('reject a bad shape or argument', () => {
    expect(() => regularizedGammaQ(-1, 1)).toThrow('incomplete gamma shape a is -1: expected a finite number > 0');
    expect(() => regularizedGammaP(1, -2)).toThrow('incomplete gamma argument x is -2: expected a number >= 0');
  });
});

describe('erfc', () => {
  it('matches tabulated values, including negative arguments', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(2)).toBeCloseTo(0.004677734981047266, 15);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 14);
  });
});

describe('chiSquareSurvival', () => {
  it('gives 0.05 and 0.01 at the tabulated critical values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    expect(chiSquareSurvival(6.634896601021214, 1)).toBeCloseTo(0.01, 13);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 13);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 12);
  });

  it('reduces to e^{-x/2} for two degrees of freedom', () => {
    for (const x of [0.3, 2, 9, 40]) expect(chiSquareSurvival(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12);
  });

  it('reduces to erfc(√(x/2)) for one degree of freedom', () => {
    for (const x of [0.2, 1, 4, 12]) expect(chiSquareSurvival(x, 1)).toBeCloseTo(erfc(Math.sqrt(x / 2)), 14);
  });

  it('rejects zero degrees of freedom and a negative statistic', () => {
    expect(() => chiSquareSurvival(1, 0)).toThrow('chi-squared degrees of freedom is 0: expected a number > 0');
    expect(() => chiSquareSurvival(-1, 2)).toThrow('chi-squared statistic is -1: expected a number >= 0');
  });
});
