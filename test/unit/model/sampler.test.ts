import { buildUserItemIndex, csrHas, NegativeSampler, Random, shuffledBatches } from '@eior/model';
import { edges } from './fixtures';

const train = edges([[0, 0], [0, 1], [0, 2], [0, 3], [1, 4]]);
const index = buildUserItemIndex(2, 6, train);

describe('NegativeSampler', () => {
  it('never draws a train positive of the user when excludePositives is set', () => {
    const sampler = new NegativeSampler({ numItems: 6, negativeNum: 50, excludePositives: true, userItems: index }, new Random(1));
    const users = Int32Array.from([0, 1, 0, 1]);
    const negatives = sampler.sample(users);
    expect(negatives.length).toBe(200);
    for (let b = 0; b < users.length; b++) {
      for (let s = 0; s < 50; s++) expect(csrHas(index, users[b], negatives[b * 50 + s])).toBe(false);
    }
    // user 0 has items 0..3, so only 4 and 5 remain
    expect(new Set(negatives.subarray(0, 50))).toEqual(new Set([4, 5]));
  });

  it('draws positives too when excludePositives is off, uniformly over the catalogue', () => {
    const sampler = new NegativeSampler({ numItems: 6, negativeNum: 6000, excludePositives: false }, new Random(2));
    const counts = new Array<number>(6).fill(0);
    for (const j of sampler.sample(Int32Array.from([0]))) counts[j]++;
    // each item expects 1000 draws; 5 standard deviations is about 150
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('draws the same negatives from the same seed', () => {
    const draw = (seed: number): number[] =>
      Array.from(new NegativeSampler({ numItems: 6, negativeNum: 10, excludePositives: true, userItems: index }, new Random(seed)).sample(Int32Array.from([0, 1])));
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it('refuses to sample for a user who has every item', () => {
    const full = buildUserItemIndex(1, 2, edges([[0, 0], [0, 1]]));
    const sampler = new NegativeSampler({ numItems: 2, negativeNum: 1, excludePositives: true, userItems: full }, new Random(1));
    expect(() => sampler.sample(Int32Array.from([0]))).toThrow(/all 2 items/);
  });

  it('needs the train index to exclude positives', () => {
    expect(() => new NegativeSampler({ numItems: 6, negativeNum: 1, excludePositives: true }, new Random(1))).toThrow(/userItems/);
  });
});

describe('shuffledBatches', () => {
  it('covers every train edge once per epoch in batches of the given size, in a seeded order', () => {
    const rng = new Random(3);
    const sampler = new NegativeSampler({ numItems: 6, negativeNum: 2, excludePositives: false }, rng);
    const batches = [...shuffledBatches(train, 2, sampler, rng)];
    expect(batches.map((b) => b.users.length)).toEqual([2, 2, 1]);
    expect(batches.every((b) => b.negItems.length === b.users.length * 2)).toBe(true);
    const seen = batches.flatMap((b) => Array.from(b.users, (u, k) => `${u}-${b.posItems[k]}`)).sort();
    expect(seen).toEqual(['0-0', '0-1', '0-2', '0-3', '1-4']);
    const again = new Random(3);
    const first = [...shuffledBatches(train, 2, new NegativeSampler({ numItems: 6, negativeNum: 2, excludePositives: false }, again), again)];
    expect(first.map((b) => Array.from(b.posItems))).toEqual(batches.map((b) => Array.from(b.posItems)));
  });
});
