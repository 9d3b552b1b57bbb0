import { NegativeSampler, Random, fitTasteProjection, fitUserTaste, selectBackend, type EdgeList } from '@eior/model';
import { contentBackbone } from './fixtures';

/**
 * 40 users, 60 items with 4 feature columns. Users 0..19 take the 8 items highest in column 0, users 20..39 the 8
 * lowest in it: opposite tastes. The frozen backbone gives every user the same feature vector, so it carries no
 * taste at all; the fit must find it in the train edges alone.
 */
function twoTastes(userFeature: number) {
  const rng = new Random(3);
  const numUsers = 40;
  const numItems = 60;
  const width = 4;
  const x = rng.normalArray(numItems * width, 1);
  const byColumn0 = Array.from({ length: numItems }, (_, i) => i).sort((a, b) => x[b * width] - x[a * width]);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    for (const i of u < 20 ? byColumn0.slice(0, 8) : byColumn0.slice(-8)) {
      users.push(u);
      items.push(i);
    }
  }
  const train: EdgeList = { users: Int32Array.from(users), items: Int32Array.from(items) };
  const featureDim = 3;
  const backbone = contentBackbone(x, width, train, { numUsers, numItems, idDim: 2, featureDim }, new Float32Array(numUsers * featureDim).fill(userFeature));
  return { backbone, train, rng, x, width };
}

const SETTINGS = { epochs: 40, batchSize: 32, lr: 2e-2, gamma: 0 };

async function fit(userFeature: number) {
  const world = twoTastes(userFeature);
  const { backbone, train, rng } = world;
  const sampler = new NegativeSampler({ numItems: backbone.numItems, negativeNum: 4, excludePositives: true, userItems: backbone.stats.userItems }, rng);
  const losses: number[] = [];
  const taste = await fitUserTaste(backbone, train, sampler, rng, SETTINGS, (e) => losses.push(e.loss));
  return { ...world, sampler, taste, P: taste.users, losses };
}

describe('the user-taste fit of the invariance stage', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  it('gives users of opposite taste user vectors that point apart, from the train edges alone', async () => {
    const { P, losses, backbone } = await fit(0.5);
    const f = backbone.featureDim;
    expect(P.length).toBe(backbone.numUsers * f);
    expect(losses).toHaveLength(SETTINGS.epochs);
    expect(losses[losses.length - 1]).toBeLessThan(0.8 * losses[0]);
    // the two groups' mean vectors point apart, and each user is closer to its own group's mean
    const mean = (from: number, to: number) => Array.from({ length: f }, (_, k) => Array.from({ length: to - from }, (_, j) => P[(from + j) * f + k]).reduce((a, b) => a + b, 0) / (to - from));
    const a = mean(0, 20);
    const b = mean(20, 40);
    const dot = (p: number[], q: number[]) => p.reduce((s, v, k) => s + v * q[k], 0);
    expect(dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b))).toBeLessThan(-0.3);
    for (let u = 0; u < 40; u++) {
      const row = Array.from(P.subarray(u * f, (u + 1) * f));
      const own = u < 20 ? a : b;
      const other = u < 20 ? b : a;
      expect(dot(row, own)).toBeGreaterThan(dot(row, other));
    }
  });

  it('does not read the backbone user vectors: the same seed gives the same vectors whatever they hold', async () => {
    const one = await fit(0.5);
    const other = await fit(-3);
    expect(Array.from(other.P)).toEqual(Array.from(one.P));
    // and the backbone's own array is left as it was
    expect(other.backbone.userFeature.every((v) => v === -3)).toBe(true);
  });

  it('refits the projection alone on a subset of the edges, the user vectors and the start left as they were', async () => {
    const { backbone, train, sampler, rng, taste } = await fit(0.5);
    const users = taste.users.slice();
    const start = taste.projection.slice();
    // the edges of users 0..19 only: their taste is "high in column 0"
    const subset = Int32Array.from({ length: 20 * 8 }, (_, k) => k);
    const W = await fitTasteProjection(backbone, taste, train, subset, sampler, rng, { ...SETTINGS, epochs: 10 });
    expect(Array.from(taste.users)).toEqual(Array.from(users));
    expect(Array.from(taste.projection)).toEqual(Array.from(start));
    expect(W.length).toBe(start.length);
    expect(W.some((w, k) => w !== start[k])).toBe(true);
    // no epochs: the start itself
    expect(Array.from(await fitTasteProjection(backbone, taste, train, subset, sampler, rng, { ...SETTINGS, epochs: 0 }))).toEqual(Array.from(start));
    await expect(fitTasteProjection(backbone, { users: new Float32Array(3), projection: start }, train, subset, sampler, rng, SETTINGS)).rejects.toThrow(/3 user values; expected 40 x 3/);
  });
});
