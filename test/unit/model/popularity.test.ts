import { evaluateRanking, PopularityModel } from '@eior/model';
import { edges } from './fixtures';

describe('PopularityModel', () => {
  const train = edges([[0, 1], [1, 1], [2, 1], [0, 2], [1, 2], [2, 0], [2, 0]]);
  const model = new PopularityModel(3, 4, train);

  it('scores an item by its number of distinct train users, the same for every user', () => {
    expect(Array.from(model.counts)).toEqual([1, 3, 2, 0]);
    expect(Array.from(model.scorePairs(Int32Array.from([0, 2]), Int32Array.from([1, 3])))).toEqual([3, 0]);
    expect(Array.from(model.scoreAllItems(Int32Array.from([0, 1])))).toEqual([1, 3, 2, 0, 1, 3, 2, 0]);
  });

  it('ranks the most popular unseen items first under evaluation', () => {
    // user 0 has seen 1 and 2: its top-1 is item 0; user 1 likewise
    const result = evaluateRanking(model, { numUsers: 3, numItems: 4, train, target: edges([[0, 0], [1, 3]]) }, { ks: [1] });
    expect(result.atK[1].recall).toBeCloseTo(0.5, 6);
  });
});
