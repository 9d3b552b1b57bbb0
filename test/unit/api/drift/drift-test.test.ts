import {
  datasetDrift,
  detectDrift,
  psi,
  selectDriftMethod,
  type DriftResult,
} from '../../../../apps/api/src/drift/drift-test';
import { ksTest } from '../../../../apps/api/src/drift/ks-test';
import { DriftInputError } from '../../../../apps/api/src/drift/sample';
import { categoricalSample, normalSample, repeated, seededRandom } from './seeded-random';

/** n values cycling through `values`: every value appears, in order, about n / values.length times. */
const cycle = (values: readonly number[], n: number): number[] => Array.from({ length: n }, (_, i) => values[i % values.length]);
const halves = [0.5, 1.5, 2.5, 3.5, 4.5];
const sixHalves = [...halves, 5.5];

describe('selectDriftMethod', () => {
  it("follows Evidently's _get_default_stattest table", () => {
    expect(selectDriftMethod(1000, 6, 'numerical')).toBe('ks');
    expect(selectDriftMethod(1001, 6, 'numerical')).toBe('wasserstein');
    expect(selectDriftMethod(1000, 5, 'numerical')).toBe('chisquare');
    expect(selectDriftMethod(1001, 5, 'numerical')).toBe('jensenshannon');
    expect(selectDriftMethod(1000, 2, 'numerical')).toBe('z');
    expect(selectDriftMethod(1000, 3, 'categorical')).toBe('chisquare');
    expect(selectDriftMethod(1000, 2, 'categorical')).toBe('z');
    expect(selectDriftMethod(1000, 40, 'categorical')).toBe('chisquare');
    expect(selectDriftMethod(1001, 2, 'categorical')).toBe('jensenshannon');
  });
});

describe('detectDrift', () => {
  it('runs KS up to 1000 reference rows and the normed Wasserstein distance from 1001', () => {
    const random = seededRandom(1);
    const current = normalSample(random, 500);
    const at1000 = detectDrift(normalSample(random, 1000), current);
    const at1001 = detectDrift(normalSample(random, 1001), current);
    expect(at1000).toMatchObject({ method: 'ks', threshold: 0.05, referenceSize: 1000, currentSize: 500 });
    expect(at1001).toMatchObject({ method: 'wasserstein', threshold: 0.1, referenceSize: 1001, currentSize: 500 });
  });

  it('treats a numerical column with 5 distinct values as categorical and one with 6 as numerical', () => {
    expect(detectDrift(cycle(halves, 1000), cycle(halves, 300)).method).toBe('chisquare');
    expect(detectDrift(cycle(halves, 1000), cycle(sixHalves, 300)).method).toBe('ks');
    expect(detectDrift(cycle(halves, 1001), cycle(halves, 300)).method).toBe('jensenshannon');
    expect(detectDrift(cycle(halves, 1001), cycle(sixHalves, 300)).method).toBe('wasserstein');
    expect(detectDrift(cycle([0.5, 1.5], 1000), cycle([0.5, 1.5], 300)).method).toBe('z');
  });

  it('infers integer codes with at most 5 distinct reference values as categorical, as Evidently does', () => {
    const reference = cycle([0, 1, 2, 3, 4], 1000);
    const current = cycle([0, 1, 2, 3, 4, 5, 6], 300);
    expect(detectDrift(reference, current).method).toBe('chisquare');
    expect(detectDrift(reference, current, { kind: 'numerical' }).method).toBe('ks');
    expect(detectDrift(cycle([0, 1, 2, 3, 4, 5], 1000), current).method).toBe('ks');
  });

  it('uses the categorical tests for a column declared categorical, whatever its distinct values', () => {
    const random = seededRandom(2);
    expect(detectDrift(normalSample(random, 1000), normalSample(random, 50), { kind: 'categorical' }).method).toBe('chisquare');
    expect(detectDrift(normalSample(random, 1001), normalSample(random, 50), { kind: 'categorical' }).method).toBe(
      'jensenshannon',
    );
  });

  it('reports the KS p-value as its value and calls p <= 0.05 drift', () => {
    const random = seededRandom(3);
    const reference = normalSample(random, 800);
    const same = normalSample(random, 800);
    const shifted = normalSample(random, 800, 0.3);
    const noDrift = detectDrift(reference, same);
    expect(noDrift.value).toBe(ksTest(reference, same).pValue);
    expect(noDrift.drifted).toBe(false);
    const drift = detectDrift(reference, shifted);
    expect(drift.drifted).toBe(true);
    expect(drift.value).toBeLessThanOrEqual(0.05);
  });

  it('finds no Wasserstein drift between large samples of one distribution and drift of a 0.5 sd shift', () => {
    const random = seededRandom(4);
    const reference = normalSample(random, 50000, 10, 2);
    const same = detectDrift(reference, normalSample(random, 50000, 10, 2));
    expect(same.method).toBe('wasserstein');
    expect(same.value).toBeLessThan(0.05);
    expect(same.drifted).toBe(false);
    const shifted = detectDrift(reference, normalSample(random, 50000, 11, 2));
    expect(shifted.drifted).toBe(true);
    expect(shifted.value).toBeCloseTo(0.5, 1);
  });

  it('finds chi-squared, z-test and Jensen-Shannon drift only when category proportions move', () => {
    const random = seededRandom(5);
    const four = [0.4, 0.3, 0.2, 0.1];
    const moved = [0.25, 0.25, 0.25, 0.25];
    const small = categoricalSample(random, 1000, four);
    // Evidently's chi-squared treats the reference shares as exact: a no-drift check needs a smaller current.
    expect(detectDrift(small, categoricalSample(random, 200, four))).toMatchObject({ method: 'chisquare', drifted: false });
    expect(detectDrift(small, categoricalSample(random, 1000, moved))).toMatchObject({ method: 'chisquare', drifted: true });
    const binary = categoricalSample(random, 500, [0.7, 0.3]);
    expect(detectDrift(binary, categoricalSample(random, 500, [0.7, 0.3]))).toMatchObject({ method: 'z', drifted: false });
    expect(detectDrift(binary, categoricalSample(random, 500, [0.55, 0.45]))).toMatchObject({ method: 'z', drifted: true });
    const large = categoricalSample(random, 5000, four);
    const sameLarge = detectDrift(large, categoricalSample(random, 5000, four));
    expect(sameLarge).toMatchObject({ method: 'jensenshannon', threshold: 0.1, drifted: false });
    expect(sameLarge.value).toBeLessThan(0.02);
    expect(detectDrift(large, categoricalSample(random, 5000, [0.1, 0.2, 0.3, 0.4]))).toMatchObject({
      method: 'jensenshannon',
      drifted: true,
    });
  });

  it('handles samples of 100,000 values', () => {
    const random = seededRandom(6);
    const result = detectDrift(normalSample(random, 100000), normalSample(random, 100000));
    expect(result).toMatchObject({ method: 'wasserstein', drifted: false, referenceSize: 100000, currentSize: 100000 });
  });

  it('rejects empty samples, non-finite values and unknown kinds with a DriftInputError naming the problem', () => {
    const empty = () => detectDrift([], [1]);
    expect(empty).toThrow(DriftInputError);
    expect(empty).toThrow('reference sample is empty: expected at least one finite number');
    expect(() => detectDrift([1], [])).toThrow('current sample is empty: expected at least one finite number');
    expect(() => detectDrift([1, 2], [1, 2, Number.NaN])).toThrow('current[2] is NaN: expected a finite number');
    expect(() => detectDrift([1, Infinity], [1])).toThrow('reference[1] is Infinity: expected a finite number');
    expect(() => detectDrift([1], [1], { kind: 'ordinal' as never })).toThrow(
      `kind is "ordinal": expected 'numerical' or 'categorical'`,
    );
    try {
      empty();
    } catch (error) {
      expect((error as DriftInputError).code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('psi', () => {
  const twoCodes = (zeros: number, ones: number) => [...repeated([0], zeros), ...repeated([1], ones)];

  it('computes Σ (r - c) ln(r / c) over the categories and bands it at 0.1 and 0.25', () => {
    const reference = twoCodes(50, 50);
    const none = psi(reference, twoCodes(35, 65));
    expect(none.value).toBeCloseTo(0.15 * Math.log(0.5 / 0.35) - 0.15 * Math.log(0.5 / 0.65), 14);
    expect(none.band).toBe('none');
    const moderate = psi(reference, twoCodes(33, 67));
    expect(moderate.value).toBeCloseTo(0.17 * Math.log(0.5 / 0.33) - 0.17 * Math.log(0.5 / 0.67), 14);
    expect(moderate.band).toBe('moderate');
    const significant = psi(reference, twoCodes(25, 75));
    expect(significant.value).toBeCloseTo(0.25 * Math.log(3), 14);
    expect(significant.band).toBe('significant');
  });

  it('fills a category missing from one sample instead of dividing by zero', () => {
    // current lacks category 1: its share becomes 0.0001; reference lacks 2 likewise.
    const result = psi([0, 0, 1, 1], [0, 0, 2, 2]);
    const expected = (0.5 - 0.0001) * Math.log(0.5 / 0.0001) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5);
    expect(result.value).toBeCloseTo(expected, 12);
    expect(result.band).toBe('significant');
  });

  it('bins numerical columns and sees no shift in one distribution, a significant one after a 1 sd shift', () => {
    const random = seededRandom(7);
    const reference = normalSample(random, 20000);
    expect(psi(reference, normalSample(random, 20000)).band).toBe('none');
    expect(psi(reference, normalSample(random, 20000, 1)).band).toBe('significant');
  });
});

describe('datasetDrift', () => {
  const result = (drifted: boolean): DriftResult => ({
    method: 'ks',
    value: drifted ? 0.01 : 0.5,
    threshold: 0.05,
    drifted,
    referenceSize: 100,
    currentSize: 100,
  });

  it('calls a dataset drifted when the share of drifted columns reaches 0.5', () => {
    expect(datasetDrift([result(true), result(false)])).toEqual({
      columns: 2,
      driftedColumns: 1,
      driftedShare: 0.5,
      drifted: true,
    });
    expect(datasetDrift([result(true), result(false), result(false)]).drifted).toBe(false);
  });

  it('takes another share', () => {
    expect(datasetDrift([result(true), result(false), result(false)], 0.3).drifted).toBe(true);
    expect(datasetDrift([result(true), result(true), result(false)], 0.7).drifted).toBe(false);
  });

  it('rejects no columns and a share outside [0, 1]', () => {
    expect(() => datasetDrift([])).toThrow('results is empty: expected the DriftResult of at least one column');
    expect(() => datasetDrift([result(true)], 1.5)).toThrow('share is 1.5: expected a number between 0 and 1');
  });
});
