import { binnedShares, fillZeroes, histogramShares, sturgesEdges } from '../../../../apps/api/src/drift/binning';

const range = (from: number, to: number): Float64Array => Float64Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('sturgesEdges', () => {
  it('makes ceil(log2(n) + 1) equal bins over the range of both samples', () => {
    // n = 32 values over [0, 31]: log2(32) + 1 = 6 bins of width 31/6.
    const edges = sturgesEdges(range(0, 23), range(24, 31), false);
    expect(edges).toHaveLength(7);
    edges.forEach((edge, i) => expect(edge).toBeCloseTo((31 / 6) * i, 12));
    expect(edges[6]).toBe(31);
  });

  it('widens a zero range to [v - 0.5, v + 0.5] in a single bin', () => {
    expect(Array.from(sturgesEdges(Float64Array.of(2, 2), Float64Array.of(2), false))).toEqual([1.5, 2.5]);
  });

  it('raises a bin width below 1 to 1 for integer data, as numpy does for integer dtypes', () => {
    // n = 4, range 2: width 2/3 -> 3 bins for floats, width 1 -> 2 bins for integers.
    expect(sturgesEdges(Float64Array.of(0, 1, 2), Float64Array.of(2), false)).toHaveLength(4);
    expect(Array.from(sturgesEdges(Float64Array.of(0, 1, 2), Float64Array.of(2), true))).toEqual([0, 1, 2]);
  });
});

describe('histogramShares', () => {
  it('counts half-open bins and puts the maximum in the last bin', () => {
    const shares = histogramShares(Float64Array.of(0, 0.5, 1, 1.5, 2), Float64Array.of(0, 1, 2));
    expect(Array.from(shares)).toEqual([2 / 5, 3 / 5]);
  });
});

describe('fillZeroes', () => {
  it('fills empty bins with 0.0001 when every non-empty share is larger', () => {
    expect(Array.from(fillZeroes(Float64Array.of(0.5, 0, 0.5)))).toEqual([0.5, 0.0001, 0.5]);
  });

  it('fills with a millionth of the smallest share when that share is at most 0.0001', () => {
    const filled = fillZeroes(Float64Array.of(0.99995, 0.00005, 0));
    expect(filled[2]).toBeCloseTo(5e-11, 20);
  });
});

describe('binnedShares', () => {
  it('bins a numerical column with more than 20 distinct reference values by Sturges', () => {
    // Edges 0, 5.17, 10.33, 15.5, 20.67, 25.83, 31: reference 0..23 falls 6, 5, 5, 5, 3, 0; current 24..31 0, 0, 0, 0, 2, 6.
    const shares = binnedShares(range(0, 23), range(24, 31), 'numerical', false);
    expect(Array.from(shares.reference)).toEqual([6, 5, 5, 5, 3, 0].map((c) => c / 24));
    expect(Array.from(shares.current)).toEqual([0, 0, 0, 0, 2, 6].map((c) => c / 8));
  });

  it('fills the empty bins when asked', () => {
    const shares = binnedShares(range(0, 23), range(24, 31), 'numerical', true);
    expect(shares.reference[5]).toBe(0.0001);
    expect(Array.from(shares.current.subarray(0, 4))).toEqual([0.0001, 0.0001, 0.0001, 0.0001]);
  });

  it('uses one bin per distinct value for categorical columns and for numerical ones with at most 20 values', () => {
    const reference = Float64Array.of(1, 1, 2, 5);
    const current = Float64Array.of(2, 3, 3, 5);
    for (const kind of ['categorical', 'numerical'] as const) {
      const shares = binnedShares(reference, current, kind, false);
      // categories 1, 2, 3, 5
      expect(Array.from(shares.reference)).toEqual([0.5, 0.25, 0, 0.25]);
      expect(Array.from(shares.current)).toEqual([0, 0.25, 0.5, 0.25]);
    }
  });

  it('keeps one bin per value for a categorical column however many values it has', () => {
    const shares = binnedShares(range(0, 29), range(0, 29), 'categorical', false);
    expect(shares.reference).toHaveLength(30);
  });
});
