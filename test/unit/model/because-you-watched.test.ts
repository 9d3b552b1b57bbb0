import { ItemSimilarity, buildItemFeatures } from '@eior/model';
import { edges } from './fixtures';

describe('ItemSimilarity.becauseYouWatched', () => {
  // users 0..3; user 0 watched items 0, 1, 2; item 3 is watched with 0 twice and with 1 once; item 4 is cold
  const train = edges([[0, 0], [0, 1], [0, 2], [1, 3], [1, 0], [2, 3], [2, 0], [2, 1], [3, 2]]);
  const x = buildItemFeatures(5, [{ modality: 'visual', width: 2, data: Float32Array.from([1, 0, 0, 1, 1, 1, 1, 0.2, 0.9, 0.1]) }]);
  const sim = new ItemSimilarity(4, 5, train, x);

  it("ranks the user's items by ω_ij worked out by hand", () => {
    // degrees: d_0 3, d_1 2, d_2 3, d_3 1. g_3 = d_1 + d_2 = 5; g_0 = 3 + 2 + 3 = 8; g_1 = 3 + 3 = 6.
    // G_30 = 2 (users 1, 2), G_31 = 1 (user 2), G_32 = 0.
    const got = sim.becauseYouWatched(0, 3, 2);
    expect(got.map((s) => s.item)).toEqual([0, 1]);
    expect(got[0].similarity).toBeCloseTo((2 / 5) * Math.sqrt(6 / 9), 10);
    expect(got[1].similarity).toBeCloseTo((1 / 5) * Math.sqrt(6 / 7), 10);
    expect(got.every((s) => s.kind === 'co-occurrence')).toBe(true);
  });

  it('fills the list by content similarity for a cold item, and never lists the item itself', () => {
    const got = sim.becauseYouWatched(0, 4, 3);
    expect(got.map((s) => s.kind)).toEqual(['content', 'content', 'content']);
    expect(got[0].item).toBe(0); // x_4 = (0.9, 0.1) is closest in angle to x_0 = (1, 0)
    expect(sim.becauseYouWatched(0, 0, 5).map((s) => s.item)).not.toContain(0);
    expect(sim.becauseYouWatched(3, 2, 3)).toEqual([]); // user 3 watched only item 2
  });
});

describe('ItemSimilarity.similarItems', () => {
  const train = edges([[0, 0], [0, 1], [0, 2], [1, 3], [1, 0], [2, 3], [2, 0], [2, 1], [3, 2]]);
  const x = buildItemFeatures(5, [{ modality: 'visual', width: 2, data: Float32Array.from([1, 0, 0, 1, 1, 1, 1, 0.2, 0.9, 0.1]) }]);
  const sim = new ItemSimilarity(4, 5, train, x);

  it('ranks the whole catalogue by ω_ij worked out by hand, then by content', () => {
    // item 3 (g_3 = 5) shares users 1 and 2 with item 0 (G = 2, g_0 = 8) and user 2 with item 1 (G = 1, g_1 = 6)
    const got = sim.similarItems(3, 4);
    expect(got.slice(0, 2).map((s) => s.item)).toEqual([0, 1]);
    expect(got[0].similarity).toBeCloseTo((2 / 5) * Math.sqrt(6 / 9), 10);
    expect(got[1].similarity).toBeCloseTo((1 / 5) * Math.sqrt(6 / 7), 10);
    // the rest by cosine with x_3 = (1, 0.2): item 4 (0.9, 0.1) before item 2 (1, 1)
    expect(got.slice(2).map((s) => [s.item, s.kind])).toEqual([[4, 'content'], [2, 'content']]);
  });

  it('lists a cold item\'s neighbours by content only and never the item itself', () => {
    const got = sim.similarItems(4, 10);
    expect(got.map((s) => s.item)).not.toContain(4);
    expect(got).toHaveLength(4);
    expect(got.every((s) => s.kind === 'content')).toBe(true);
    expect(got[0].item).toBe(3); // cos(x_4, x_3) = 0.92 / (0.906 · 1.020) = 0.996 beats cos(x_4, x_0) = 0.994
  });
});
