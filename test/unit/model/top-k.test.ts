import { topKIndices } from '@eior/model';

describe('topKIndices', () => {
  it('returns the k largest indices best first', () => {
    const scores = Float32Array.from([0.1, 0.9, -3, 0.5, 0.7, 0.2]);
    expect(Array.from(topKIndices(scores, 0, scores.length, 3))).toEqual([1, 4, 3]);
  });

  it('keeps the lower index first among equal scores', () => {
    const scores = Float32Array.from([1, 2, 2, 1, 2]);
    expect(Array.from(topKIndices(scores, 0, 5, 4))).toEqual([1, 2, 4, 0]);
  });

  it('reads a row of a larger block through the offset and returns indexes relative to it', () => {
    const block = Float32Array.from([9, 9, 9, /* row 1: */ 0.3, 0.1, 0.2]);
    expect(Array.from(topKIndices(block, 3, 3, 2))).toEqual([0, 2]);
  });

  it('ranks −Infinity (masked) and NaN last and returns at most the row length', () => {
    const scores = Float32Array.from([-Infinity, NaN, 0, -1]);
    expect(Array.from(topKIndices(scores, 0, 4, 10))).toEqual([2, 3, 0, 1]);
  });

  it('agrees with a full sort on random scores', () => {
    const scores = new Float32Array(500);
    let s = 12345;
    for (let i = 0; i < scores.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      scores[i] = (s % 1000) / 10; // many ties
    }
    const sorted = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    expect(Array.from(topKIndices(scores, 0, scores.length, 20))).toEqual(sorted.slice(0, 20));
  });
});
