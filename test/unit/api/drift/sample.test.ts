import {
  allIntegers,
  countCategories,
  countUnionUnique,
  countUnique,
  populationStd,
  sortedSample,
} from '../../../../apps/api/src/drift/sample';

describe('sortedSample', () => {
  it('returns an ascending numeric copy and leaves the input alone', () => {
    const input = [10, 9, -1, 100, 2];
    expect(Array.from(sortedSample(input, 'reference'))).toEqual([-1, 2, 9, 10, 100]);
    expect(input).toEqual([10, 9, -1, 100, 2]);
  });

  it('names the sample and the index of a bad value', () => {
    expect(() => sortedSample([1, -Infinity], 'current')).toThrow('current[1] is -Infinity: expected a finite number');
    expect(() => sortedSample([], 'reference')).toThrow('reference sample is empty: expected at least one finite number');
  });
});

describe('countUnique and countUnionUnique', () => {
  it('count distinct values of one sample and of two together, -0 and 0 as one', () => {
    const a = sortedSample([3, 1, 1, 2, 0], 'a');
    const b = sortedSample([2, 5, 5, -0], 'b');
    expect(countUnique(a)).toBe(4);
    expect(countUnionUnique(a, b)).toBe(5);
    expect(countUnionUnique(b, a)).toBe(5);
  });
});

describe('countCategories', () => {
  it('aligns the counts of both samples on the union of their values, ascending', () => {
    const counts = countCategories(sortedSample([2, 1, 2, 7], 'r'), sortedSample([7, 3, 3], 'c'));
    expect(Array.from(counts.values)).toEqual([1, 2, 3, 7]);
    expect(Array.from(counts.referenceCounts)).toEqual([1, 2, 0, 1]);
    expect(Array.from(counts.currentCounts)).toEqual([0, 0, 2, 1]);
  });
});

describe('allIntegers and populationStd', () => {
  it('recognise integer data and compute the ddof-0 standard deviation', () => {
    expect(allIntegers(Float64Array.of(1, 2, -3))).toBe(true);
    expect(allIntegers(Float64Array.of(1, 2.5))).toBe(false);
    // mean 5, squared deviations 9 + 1 + 1 + 9 = 20, / 4 = 5.
    expect(populationStd(Float64Array.of(2, 4, 6, 8))).toBeCloseTo(Math.sqrt(5), 15);
  });
});
