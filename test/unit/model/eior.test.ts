import * as tf from '@tensorflow/tfjs';
import { EiorModel, QUICK_EIOR_PRESET, Random, selectBackend, type FusionConfig } from '@eior/model';
import { WIDE_BATCH, WIDE_CONFIG, wideDataset } from './fixtures';

const FUSION: FusionConfig = { ...QUICK_EIOR_PRESET.fusion, attentionDim: 4, rhoWarmupEpochs: 0, rho: 1 };
// 8 columns: image 5, audio 3; a mask between 0 and 1 so that both branches see every modality
const MASK = Float32Array.from([1, 0.8, 0, 0.3, 1, 0.5, 0, 1]);

function model(fusion: Partial<FusionConfig> = {}, environments = true): EiorModel {
  const data = wideDataset();
  return new EiorModel(data, WIDE_CONFIG, { ...FUSION, ...fusion }, MASK, {
    rng: new Random(3),
    environments: environments ? { assignment: Int32Array.from(data.train.users, (u) => u % 2), count: 2 } : undefined,
  });
}

describe('EiorModel', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });

  it('explains a rating exactly: the parts add up to each branch score, and α_I s_I + α_E s_E to the rating', () => {
    const m = model();
    for (let step = 0; step < 3; step++) m.trainStep({ ...WIDE_BATCH, edges: Int32Array.from([0, 1, 2, 3]) });
    const all = m.scoreAllItems(Int32Array.from([0, 1, 2, 3, 4]));
    for (let u = 0; u < 5; u++) {
      for (let i = 0; i < 9; i++) {
        const e = m.explain(u, i);
        for (const part of [e.invariant, e.variant]) {
          const sum = part.id + part.bias + part.modalities.reduce((a, x) => a + x.contribution, 0);
          expect(sum).toBeCloseTo(part.score, 5);
          expect(part.modalities.map((x) => x.modality)).toEqual(['image', 'audio']);
        }
        expect(e.invariantWeight + e.variantWeight).toBeCloseTo(1, 10);
        expect(e.rating).toBeCloseTo(e.invariantWeight * e.invariant.score + e.variantWeight * e.variant.score, 5);
        expect(all[u * 9 + i]).toBeCloseTo(e.rating, 4); // the batched full-ranking path agrees
        expect(m.scorePairs(Int32Array.of(u), Int32Array.of(i))[0]).toBeCloseTo(e.rating, 5);
      }
    }
    m.dispose();
  });

  it.each<FusionConfig['kind']>(['attention', 'global', 'fixed'])('differentiates its whole objective (%s fusion, IRM term on) as finite differences do', (kind) => {
    const m = model({ kind, etaInvariant: 0.3, etaVariant: 0.2 });
    m.startEpoch(1); // past the warm-up (0 epochs): ρ = 1
    for (let step = 0; step < 2; step++) m.trainStep({ ...WIDE_BATCH, edges: Int32Array.from([0, 1, 2, 3]) });
    const batch = { ...WIDE_BATCH, edges: Int32Array.from([0, 1, 2, 3]) };
    const { grads } = m.objectiveAndGradients(batch);
    const base = m.getWeights();
    const objectiveAt = (name: string, k: number, delta: number) => {
      const w = new Map([...base].map(([n, v]) => [n, v.slice()]));
      w.get(name)![k] += delta;
      m.setWeights(w);
      const value = m.objectiveAndGradients(batch).objective;
      m.setWeights(base);
      return value;
    };
    const h = 5e-3;
    let checked = 0;
    for (const [name, g] of grads) {
      // the three largest entries of each parameter's gradient, each against its own central difference
      const picks = Array.from(g.keys())
        .sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]))
        .slice(0, 3);
      for (const k of picks) {
        const fd = (objectiveAt(name, k, h) - objectiveAt(name, k, -h)) / (2 * h);
        expect({ name, k, g: g[k], close: Math.abs(g[k] - fd) < 1e-3 + 0.03 * Math.abs(fd) }).toEqual({ name, k, g: g[k], close: true });
        if (Math.abs(fd) > 1e-3) checked++;
      }
    }
    expect(checked).toBeGreaterThan(3 * (grads.size - 1)); // nearly every checked entry is far from zero
    m.dispose();
  });

  it('gives weights that differ between pairs with attention, and one pair for all with the global and fixed fusions', () => {
    const spread = (fusion: FusionConfig['kind']) => {
      const m = model({ kind: fusion });
      for (let step = 0; step < 3; step++) m.trainStep(WIDE_BATCH);
      const weights = [0, 1, 2].flatMap((u) => [0, 4, 8].map((i) => m.explain(u, i).invariantWeight));
      m.dispose();
      return Math.max(...weights) - Math.min(...weights);
    };
    expect(spread('attention')).toBeGreaterThan(1e-4);
    expect(spread('global')).toBe(0);
    expect(spread('fixed')).toBe(0);
  });

  it('lowers its training loss and keeps the number of live tensors fixed across steps and scoring', () => {
    const m = model();
    const first = m.trainStep({ ...WIDE_BATCH, edges: Int32Array.from([0, 1, 2, 3]) }).lossL;
    m.scoreAllItems(Int32Array.from([0, 1]));
    const before = tf.memory().numTensors;
    let last = first;
    for (let step = 0; step < 60; step++) {
      m.startEpoch(step + 1);
      last = m.trainStep({ ...WIDE_BATCH, edges: Int32Array.from([0, 1, 2, 3]) }).lossL;
      m.scoreAllItems(Int32Array.from([0, 1]));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    m.dispose();
  });

  it('starts from a trained backbone when asked, and refuses a mask of the wrong width', () => {
    const m = model({}, false);
    const weights = new Map<string, Float32Array>([
      ['user', new Float32Array(5 * 16).fill(0.25)],
      ['itemId', new Float32Array(9 * 8).fill(0.5)],
      ['W', new Float32Array(8 * 8).fill(0.1)],
      ['b', new Float32Array(8).fill(0.2)],
    ]);
    m.warmStart(weights);
    const got = m.getWeights();
    expect(Array.from(got.get('W_E')!.slice(0, 3))).toEqual([0.1, 0.1, 0.1].map(Math.fround));
    expect(got.get('user')![7]).toBe(0.25);
    m.dispose();
    expect(() => new EiorModel(wideDataset(), WIDE_CONFIG, FUSION, new Float32Array(5), { rng: new Random(1) })).toThrow(/feature mask has 5 values; expected one per feature column, 8/);
  });
});
