import { environmentRecords } from '@eior/model';

describe('environmentRecords', () => {
  // 5 users: 0 and 1 in environment 0, 2 and 4 in environment 1, 3 without train edges; environment 2 has no users.
  const base = {
    numEnvironments: 3,
    assignment: Int32Array.from([0, 0, 0, 1, 1, 1, 1, 2]),
    userEnvironment: Int32Array.from([0, 0, 1, -1, 1]),
    perUser: {
      users: Int32Array.from([0, 1, 3, 4]),
      atK: {
        20: {
          recall: Float32Array.from([1, 0.5, 0.25, 0]),
          precision: new Float32Array(4),
          ndcg: Float32Array.from([0.5, 0.25, 1, 0.125]),
          hitRate: new Float32Array(4),
        },
      },
    },
    test: { users: Int32Array.from([0, 1, 1, 3, 4]), items: Int32Array.from([2, 3, 4, 0, 1]) },
  };

  it('counts edges and users per environment and averages the test metrics of its users', () => {
    const records = environmentRecords({ ...base, invariantWeight: null });
    expect(records).toEqual([
      { idx: 0, edges: 3, users: 2, share: 3 / 8, metrics: { 'recall@20': 0.75, 'ndcg@20': 0.375, users: 2 }, meanInvariantWeight: null },
      { idx: 1, edges: 4, users: 2, share: 4 / 8, metrics: { 'recall@20': 0, 'ndcg@20': 0.125, users: 1 }, meanInvariantWeight: null },
      { idx: 2, edges: 1, users: 0, share: 1 / 8, metrics: { users: 0 }, meanInvariantWeight: null },
    ]);
  });

  it('averages α_I over the test pairs of each environment\'s users', () => {
    const records = environmentRecords({ ...base, invariantWeight: (u, i) => u / 10 + i / 100 });
    // environment 0: pairs (0,2) (1,3) (1,4) -> 0.02, 0.13, 0.14; environment 1: pair (4,1) -> 0.41
    expect(records[0].meanInvariantWeight).toBeCloseTo((0.02 + 0.13 + 0.14) / 3, 12);
    expect(records[1].meanInvariantWeight).toBeCloseTo(0.41, 12);
    expect(records[2].meanInvariantWeight).toBeNull();
  });

  it('refuses per-user metrics without K = 20', () => {
    expect(() => environmentRecords({ ...base, perUser: { users: base.perUser.users, atK: { 10: base.perUser.atK[20] } }, invariantWeight: null })).toThrow(
      'per-user metrics at K = 10: expected K = 20 among them',
    );
  });
});
