import { CliError } from '../../../../apps/cli/src/errors';
import { indexOfId, topUnseenItems } from '../../../../apps/cli/src/explain/id-lookup';

describe('indexOfId', () => {
  it('finds the dense index of a token', () => {
    expect(indexOfId('user', 'b', ['a', 'b', 'c'], 'd')).toBe(1);
  });

  it('names an unknown id and how many ids of its kind the dataset has', () => {
    expect(() => indexOfId('item', 'zz', ['a', 'b', 'c', 'd'], 'movies')).toThrow(
      new CliError('item "zz" is not in dataset \'movies\': it has 4 items (ids such as "a", "b", "c")'),
    );
  });
});

describe('topUnseenItems', () => {
  it('ranks the items the user has not seen by score, ties by index, at most n', () => {
    const scores = Float32Array.from([0.5, 0.9, 0.1, 0.9, 0.7, -Infinity]);
    expect(topUnseenItems(scores, new Set([1]), 3)).toEqual([3, 4, 0]);
    expect(topUnseenItems(scores, new Set([0, 1, 2, 3]), 10)).toEqual([4]);
  });
});
