// The popularity floor: lift and the clears/refuses decision, worked by hand.
import { compareWithPopularity, describeComparison, storedComparison } from '@eior/model';

describe('compareWithPopularity', () => {
  it('states the lift as validation NDCG@20 over popularity minus one', () => {
    const c = compareWithPopularity({ 'ndcg@20': 0.03, 'recall@20': 0.9 }, { 'ndcg@20': 0.024, 'recall@20': 0.1 });
    expect(c.metric).toBe('ndcg@20');
    expect(c.value).toBe(0.03);
    expect(c.popularity).toBe(0.024);
    expect(c.lift).toBeCloseTo(0.25, 12); // 0.03 / 0.024 − 1, recall plays no part
    expect(c.clears).toBe(true);
    expect(describeComparison(c)).toBe("validation NDCG@20 0.0300, 25.0 % above popularity's 0.0240");
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
  });
});
