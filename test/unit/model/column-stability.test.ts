import {
  NegativeSampler,
  Random,
  columnStability,
  fitUserTaste,
  learnStableMask,
  selectBackend,
  stabilityGate,
  windowLadder,
  type EdgeList,
} from '@eior/model';
import { contentBackbone } from './fixtures';

describe('column stability across time windows', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  it('scores each column by its mean row over its spread, floored by the median spread (worked by hand)', () => {
    // width 4, featureDim 1; two windows
    const windows = [Float32Array.of(1.0, 1.0, 0.2, 0.0), Float32Array.of(0.8, -1.0, 0.0, 0.2)];
    const { ratio, floored } = columnStability(windows, 4, 1);
    // means 0.9, 0, 0.1, 0.1 → signals 0.81, 0, 0.01, 0.01; spreads 0.01, 1, 0.01, 0.01; median spread 0.01
    expect(Array.from(ratio)).toEqual([81, 0, 1, 1].map((v) => expect.closeTo(v, 3)));
    expect(Array.from(floored)).toEqual([40.5, 0, 0.5, 0.5].map((v) => expect.closeTo(v, 4)));
    // gate s / (s + median s), median of (0, 0.5, 0.5, 40.5) = 0.5
    expect(Array.from(stabilityGate(floored))).toEqual([40.5 / 41, 0, 0.5, 0.5].map((v) => expect.closeTo(v, 5)));
  });

  it('sums the signal and the spread over the projection width', () => {
    // one column, featureDim 2: rows (1, 0) and (0, 1) → mean (0.5, 0.5), signal 0.5, spread 0.25 + 0.25 = 0.5
    const { ratio } = columnStability([Float32Array.of(1, 0), Float32Array.of(0, 1)], 1, 2);
    expect(ratio[0]).toBeCloseTo(1, 6);
  });

  it("reads every window count from 2 to the stage's environments, and 2 when there is one environment", () => {
    expect(windowLadder(10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(windowLadder(1)).toEqual([2]);
  });

  it('needs two windows, and gates nothing when every score is 0', () => {
    expect(() => columnStability([new Float32Array(2)], 2, 1)).toThrow(/1 windows; at least 2/);
    expect(Array.from(stabilityGate(new Float32Array(3)))).toEqual([0.5, 0.5, 0.5]);
  });

  /**
   * 40 users, 120 items with 4 columns. In the first half of time every user takes the 8 items highest in
   * x1 + 2 x0, in the second half the 8 highest in x1 (of the items not taken yet): column 1 drives choices in both
   * halves, column 0 only in the first, columns 2 and 3 never.
   */
  function driftWorld() {
    const rng = new Random(11);
    const numUsers = 40;
    const numItems = 120;
    const width = 4;
    const x = rng.normalArray(numItems * width, 1);
    const ranked = (score: (i: number) => number, skip: Set<number>) =>
      Array.from({ length: numItems }, (_, i) => i)
        .filter((i) => !skip.has(i))
        .sort((a, b) => score(b) - score(a));
    const users: number[] = [];
    const items: number[] = [];
    const times: number[] = [];
    for (let u = 0; u < numUsers; u++) {
      // each user sees its own random half of the catalogue, so that users differ
      const seen = new Set(Array.from({ length: numItems }, (_, i) => i).filter(() => rng.nextFloat() < 0.5));
      const hidden = new Set(Array.from({ length: numItems }, (_, i) => i).filter((i) => !seen.has(i)));
      const first = ranked((i) => x[i * width + 1] + 2 * x[i * width], hidden).slice(0, 8);
      const second = ranked((i) => x[i * width + 1], new Set([...hidden, ...first])).slice(0, 8);
      first.forEach((i, k) => (users.push(u), items.push(i), times.push(1000 + u * 8 + k)));
      second.forEach((i, k) => (users.push(u), items.push(i), times.push(100_000 + u * 8 + k)));
    }
    const train: EdgeList = { users: Int32Array.from(users), items: Int32Array.from(items) };
    const featureDim = 3;
    const backbone = contentBackbone(x, width, train, { numUsers, numItems, idDim: 2, featureDim }, new Float32Array(numUsers * featureDim));
    const sampler = new NegativeSampler({ numItems, negativeNum: 4, excludePositives: true, userItems: backbone.stats.userItems }, rng);
    return { backbone, train, rng, sampler, timestamps: Float64Array.from(times) };
  }

  it('ranks the column that drives choices in every window above the one that drives them in one', async () => {
    const { backbone, train, rng, sampler, timestamps } = driftWorld();
    const settings = { epochs: 30, batchSize: 64, lr: 2e-2, gamma: 0 };
    const taste = await fitUserTaste(backbone, train, sampler, rng, settings);
    const seen: number[] = [];
    const stable = await learnStableMask({ backbone, taste, train, timestamps, sampler, rng, settings: { ...settings, epochs: 10 }, onResolution: ({ windows }) => seen.push(windows) }, windowLadder(3));
    expect(stable).not.toBeNull();
    expect(stable!.resolutions).toEqual([2, 3]);
    expect(seen).toEqual([2, 3]);
    const m = stable!.mask;
    expect(m[1]).toBeGreaterThan(m[0]);
    expect(m[1]).toBeGreaterThan(Math.max(m[2], m[3]));
    expect(m[1]).toBeGreaterThan(0.5);
    expect(Math.min(...m)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...m)).toBeLessThanOrEqual(1);
  });

  it('finds no windows in timestamps that are all the same', async () => {
    const { backbone, train, rng, sampler } = driftWorld();
    const settings = { epochs: 1, batchSize: 64, lr: 2e-2, gamma: 0 };
    const taste = await fitUserTaste(backbone, train, sampler, rng, settings);
    const flat = new Float64Array(train.users.length).fill(5);
    expect(await learnStableMask({ backbone, taste, train, timestamps: flat, sampler, rng, settings }, windowLadder(4))).toBeNull();
  });
});
