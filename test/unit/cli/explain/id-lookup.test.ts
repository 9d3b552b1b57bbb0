import { CliError } from '../../../../apps/cli/src/errors';
import { indexOfId } from '../../../../apps/cli/src/explain/id-lookup';

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
