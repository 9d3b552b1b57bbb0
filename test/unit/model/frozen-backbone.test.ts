import { computeGraphStats, freezeBackbone, selectBackend, type EdgeList } from '@eior/model';

describe('freezeBackbone', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  // 2 users, 3 items, idDim 2, featureDim 1: user rows [id0, id1, f0]
  const train: EdgeList = { users: Int32Array.from([0, 1]), items: Int32Array.from([0, 2]) };
  const stats = computeGraphStats(2, 3, train, { iiNeighborNum: 1, iiDiagonalZero: false });
  const weights = new Map([
    ['user', Float32Array.from([1, 2, 3, 4, 5, 6])],
    ['itemId', Float32Array.from([0, 0, 0, 0, 0, 0])],
  ]);
  const x = { numItems: 3, width: 2, data: Float32Array.from([1, 0, 0, 1, 1, 1]), blocks: [{ modality: 'visual', offset: 0, width: 2 }] };
  const loss = { w1: 1, w2: 0, w3: 1, w4: 0, negativeWeight: 1 };

  it('hands the projections e_u_f (InvRL) or all of e_u (userSide whole)', () => {
    const feature = freezeBackbone(weights, { idDim: 2, featureDim: 1 }, x, stats, loss);
    expect(feature.featureDim).toBe(1);
    expect(Array.from(feature.userFeature)).toEqual([3, 6]);
    expect(Array.from(feature.userId)).toEqual([1, 2, 4, 5]);
    const whole = freezeBackbone(weights, { idDim: 2, featureDim: 1 }, x, stats, loss, undefined, 'whole');
    expect(whole.featureDim).toBe(3);
    expect(Array.from(whole.userFeature)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(whole.userId)).toEqual([1, 2, 4, 5]);
    feature.table.dispose();
    whole.table.dispose();
  });
});
