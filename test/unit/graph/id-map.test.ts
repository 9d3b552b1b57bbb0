import { denseIndexes, tokensByIndex } from '../../../libs/graph/src/ingest/id-map';

describe('denseIndexes', () => {
  it('keeps the value of plain integer ids, whatever their order of appearance', () => {
    const tokens = ['2', '0', '10', '1'];
    const dense = denseIndexes(tokens);
    expect(Array.from(dense)).toEqual([2, 0, 3, 1]);
    expect(tokensByIndex(tokens, dense)).toEqual(['0', '1', '2', '10']);
  });

  it('orders string ids by code unit when any id is not a plain integer', () => {
    const tokens = ['b', '10', 'a', '9', '007'];
    expect(tokensByIndex(tokens, denseIndexes(tokens))).toEqual(['007', '10', '9', 'a', 'b']);
  });
});
