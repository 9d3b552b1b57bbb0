// The popularity floor: lift and the clears/refuses decision, worked by hand.
import { compareWithPopularity, describeComparison, describeInterval, floorLiftIntervals, formatIntervalRange, floorPerUser, storedComparison, withinNoise, type LiftInterval } from '@eior/model';

describe('compareWithPopularity', () => {
  it('states the lift as validation NDCG@20 over popularity minus one', () => {
    const c = compareWithPopularity({ 'ndcg@20': 0.03, 'recall@20': 0.9 }, { 'ndcg@20': 0.024, 'recall@20': 0.1 });
    expect(c.metric).toBe('ndcg@20');
    expect(c.value).toBe(0.03);
    expect(c.popularity).toBe(0.024);
    expect(c.lift).toBeCloseTo(0.25, 12); // 0.03 / 0.024 − 1, recall plays no part
    expect(c.clears).toBe(true);
    expect(c.interval).toBeNull();
    expect(describeComparison(c)).toBe("validation NDCG@20 0.0300, 25.0 % above popularity's 0.0240");
  });

  it('carries the interval and says when it holds 0; the floor reads only the means', () => {
    const spread: LiftInterval = { low: -0.031, high: 0.089, level: 0.95, resamples: 2000 };
    const c = compareWithPopularity({ 'ndcg@20': 0.0305 }, { 'ndcg@20': 0.03 }, spread);
    expect(c.interval).toBe(spread);
    expect(c.clears).toBe(true);
    expect(withinNoise(c)).toBe(true);
    expect(describeInterval(spread)).toBe('95 % interval −3.1 % to +8.9 %');
    expect(formatIntervalRange(spread)).toBe('−3.1 to +8.9 %'); // a table cell: `eior models list`
    expect(describeComparison(c)).toBe("validation NDCG@20 0.0305, 1.7 % above popularity's 0.0300 (95 % interval −3.1 % to +8.9 % over users: not told apart from popularity on this split)");
    const sure = compareWithPopularity({ 'ndcg@20': 0.036 }, { 'ndcg@20': 0.03 }, { ...spread, low: 0.05, high: 0.31 });
    expect(withinNoise(sure)).toBe(false);
    expect(describeComparison(sure)).toBe("validation NDCG@20 0.0360, 20.0 % above popularity's 0.0300 (95 % interval +5.0 % to +31.0 % over users)");
    // no lift, no interval
    expect(compareWithPopularity({ 'ndcg@20': 0.01 }, { 'ndcg@20': 0 }, spread).interval).toBeNull();
    expect(withinNoise(compareWithPopularity({ 'ndcg@20': 0.01 }, { 'ndcg@20': 0.02 }))).toBe(false);
  });

  it('refuses a version below popularity and lets a tie (popularity itself) clear', () => {
    const below = compareWithPopularity({ 'ndcg@20': 0.0151 }, { 'ndcg@20': 0.0302 });
    expect(below.lift).toBeCloseTo(-0.5, 12);
    expect(below.clears).toBe(false);
    expect(describeComparison(below)).toBe("validation NDCG@20 0.0151, 50.0 % below popularity's 0.0302");
    const tie = compareWithPopularity({ 'ndcg@20': 0.0302 }, { 'ndcg@20': 0.0302 });
    expect(tie.lift).toBe(0);
    expect(tie.clears).toBe(true);
  });

  it('states no lift when popularity scores 0, and never clears a missing value', () => {
    const zero = compareWithPopularity({ 'ndcg@20': 0.01 }, { 'ndcg@20': 0 });
    expect(zero.lift).toBeNull();
    expect(zero.clears).toBe(true);
    expect(describeComparison(zero)).toBe('validation NDCG@20 0.0100, popularity scores 0');
    const missing = compareWithPopularity({}, { 'ndcg@20': 0.01 });
    expect(missing.clears).toBe(false);
  });

  it('reads the comparison a version stores, and none from a version written before runs scored popularity', () => {
    const metrics = { bestEpoch: 3, valid: { 'ndcg@20': 0.02 }, test: {}, protocol: 'standard' };
    expect(storedComparison(metrics)).toBeNull();
    expect(storedComparison({ ...metrics, popularity: { valid: { 'ndcg@20': 0.04 }, test: {} } })?.lift).toBeCloseTo(-0.5, 12);
    expect(storedComparison({ ...metrics, popularity: { valid: { 'ndcg@20': 0.04 }, test: {} } })?.interval).toBeNull();
    const valid: LiftInterval = { low: -0.7, high: -0.2, level: 0.95, resamples: 2000 };
    expect(storedComparison({ ...metrics, popularity: { valid: { 'ndcg@20': 0.04 }, test: {}, liftIntervals: { valid, test: null } } })?.interval).toEqual(valid);
  });
});

describe('floorPerUser and floorLiftIntervals', () => {
  const perUser = (ndcg: number[]) => ({ users: Int32Array.from(ndcg.keys()), atK: { 20: { recall: new Float32Array(ndcg.length), precision: new Float32Array(ndcg.length), ndcg: Float32Array.from(ndcg), hitRate: new Float32Array(ndcg.length) } } });

  it('takes NDCG@20 of each user from the validation and test evaluations, and nothing when either is missing', () => {
    const f = floorPerUser(perUser([0.5, 0]), perUser([1, 0.25, 0]));
    expect(Array.from(f!.valid)).toEqual([0.5, 0]);
    expect(Array.from(f!.test)).toEqual([1, 0.25, 0]);
    expect(floorPerUser(null, perUser([1]))).toBeNull();
    expect(floorPerUser(perUser([1]), undefined)).toBeNull();
  });

  it('pairs each split with popularity: a version twice as good on every user has the point interval +100 %', () => {
    const version = floorPerUser(perUser([0.2, 0.4, 0.1]), perUser([0.6, 0.2]))!;
    const popularity = floorPerUser(perUser([0.1, 0.2, 0.05]), perUser([0.3, 0.1]))!;
    const { valid, test } = floorLiftIntervals(version, popularity);
    expect(valid!.low).toBeCloseTo(1, 6);
    expect(valid!.high).toBeCloseTo(1, 6);
    expect(test!.low).toBeCloseTo(1, 6);
    expect(test!.high).toBeCloseTo(1, 6);
  });
});
