// Every model of libs/model explains itself (RecModel.explain) and records its weights' shapes
// (TrainableRecModel.weightShapes): the rating is the pair's score, the branch fields are those the model has.
import { EiorModel, PopularityModel, QUICK_EIOR_PRESET, Random, UltraGcn, selectBackend, type RecModel } from '@eior/model';
import { WIDE_BATCH, WIDE_CONFIG, wideDataset } from './fixtures';

describe('the explanation contract', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });
  const mask = Float32Array.from([1, 0.8, 0, 0.3, 1, 0.5, 0, 1]);
  const fusion = { ...QUICK_EIOR_PRESET.fusion, attentionDim: 4 };
  const pairs: [number, number][] = [[0, 0], [1, 3], [2, 8], [4, 1]];

  function rated(model: RecModel): number[] {
    return Array.from(model.scorePairs(Int32Array.from(pairs.map((p) => p[0])), Int32Array.from(pairs.map((p) => p[1]))));
  }

  it('gives the pair\'s score as the rating, for every kind', () => {
    const data = wideDataset();
    const models: RecModel[] = [
      new PopularityModel(data.numUsers, data.numItems, data.train),
      new UltraGcn(data, { ...WIDE_CONFIG, useFeatures: false }, { rng: new Random(1) }),
      new UltraGcn(data, WIDE_CONFIG, { rng: new Random(1), featureMask: mask, branch: 'invariant' }),
      new EiorModel(data, WIDE_CONFIG, fusion, mask, { rng: new Random(1) }),
    ];
    for (const model of models) {
      const ratings = pairs.map(([u, i]) => model.explain(u, i).rating);
      rated(model).forEach((r, k) => expect(ratings[k]).toBeCloseTo(r, 5));
      model.dispose();
    }
  });

  it('names the branch an UltraGCN stands for: InvRL the invariant one, variant-only the variant one, a plain one none', () => {
    const data = wideDataset();
    const plain = new UltraGcn(data, WIDE_CONFIG, { rng: new Random(3) });
    const invariant = new UltraGcn(data, WIDE_CONFIG, { rng: new Random(3), featureMask: mask, branch: 'invariant' });
    const variant = new UltraGcn(data, WIDE_CONFIG, { rng: new Random(3), featureMask: Float32Array.from(mask, (m) => 1 - m), branch: 'variant' });
    for (const m of [plain, invariant, variant]) m.trainStep(WIDE_BATCH);
    const p = plain.explain(1, 2);
    expect([p.invariantWeight, p.variantWeight, p.invariant, p.variant]).toEqual([null, null, null, null]);
    const i = invariant.explain(1, 2);
    expect([i.invariantWeight, i.variantWeight, i.variant]).toEqual([1, 0, null]);
    expect(i.invariant).toEqual(invariant.scoreParts(1, 2));
    const v = variant.explain(1, 2);
    expect([v.invariantWeight, v.variantWeight, v.invariant]).toEqual([0, 1, null]);
    expect(v.variant!.id + v.variant!.bias + v.variant!.modalities.reduce((a, m) => a + m.contribution, 0)).toBeCloseTo(v.rating, 5);
    for (const m of [plain, invariant, variant]) m.dispose();
  });

  it('records a shape for every weight it saves, holding exactly its values', () => {
    const data = wideDataset();
    for (const model of [new UltraGcn(data, WIDE_CONFIG, { rng: new Random(1) }), new EiorModel(data, WIDE_CONFIG, fusion, mask, { rng: new Random(1) })]) {
      const weights = model.getWeights();
      const shapes = model.weightShapes();
      expect([...shapes.keys()].sort()).toEqual([...weights.keys()].sort());
      for (const [name, values] of weights) expect(shapes.get(name)!.reduce((a, b) => a * b, 1)).toBe(values.length);
      model.dispose();
    }
  });
});
