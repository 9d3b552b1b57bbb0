import { EiorModel, QUICK_EIOR_PRESET, Random, UltraGcn, computeGraphStats, restoreModel, restoreStatsOptions, selectBackend } from '@eior/model';
import { WIDE_BATCH, WIDE_CONFIG, wideDataset } from './fixtures';

describe('restoreModel', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });
  const mask = Float32Array.from([1, 0.8, 0, 0.3, 1, 0.5, 0, 1]);
  const eior = { ...QUICK_EIOR_PRESET, fusion: { ...QUICK_EIOR_PRESET.fusion, attentionDim: 4 } };
  const users = Int32Array.from([0, 1, 2, 3, 4, 0]);
  const items = Int32Array.from([0, 3, 8, 5, 1, 7]);

  it('rebuilds an EIOR model that scores and explains as the trained one did', () => {
    const data = wideDataset();
    // trained with content neighbours in its constraint loss: they change training, not scoring
    const backbone = { ...WIDE_CONFIG, iiContentNeighborNum: 2, iiContentWeight: 0.1 };
    const trained = new EiorModel(data, backbone, eior.fusion, mask, { rng: new Random(2) });
    for (let s = 0; s < 3; s++) trained.trainStep(WIDE_BATCH);
    const weights = new Map([...trained.getWeights(), ['mask', mask]]);
    // a version written before mask.batchSize existed still loads
    const olderMask: Partial<typeof eior.mask> = { ...eior.mask };
    delete olderMask.batchSize;
    const older = { ...eior, mask: olderMask };
    const restored = restoreModel('eior', { backbone, eior: older } as unknown as Record<string, unknown>, weights, data);
    expect(Array.from(restored.model.scorePairs(users, items))).toEqual(Array.from(trained.scorePairs(users, items)));
    expect(restored.explain(2, 5)).toEqual(trained.explain(2, 5));
    // a version written before the content neighbours existed still loads
    const olderBackbone: Partial<typeof backbone> = { ...backbone };
    delete olderBackbone.iiContentNeighborNum;
    delete olderBackbone.iiContentWeight;
    const beforeContent = restoreModel('eior', { backbone: olderBackbone, eior } as unknown as Record<string, unknown>, weights, data);
    expect(Array.from(beforeContent.model.scorePairs(users, items))).toEqual(Array.from(trained.scorePairs(users, items)));
    beforeContent.model.dispose();
    trained.dispose();
    restored.model.dispose();
  });

  it('rebuilds InvRL on x ⊙ m with a one-branch explanation, and refuses an unknown kind or a missing mask', () => {
    const data = wideDataset();
    const trained = new UltraGcn(data, WIDE_CONFIG, { rng: new Random(2), featureMask: mask });
    trained.trainStep(WIDE_BATCH);
    const config = { backbone: WIDE_CONFIG, eior } as unknown as Record<string, unknown>;
    const restored = restoreModel('invrl', config, new Map([...trained.getWeights(), ['mask', mask]]), data);
    expect(Array.from(restored.model.scorePairs(users, items))).toEqual(Array.from(trained.scorePairs(users, items)));
    const e = restored.explain(1, 2);
    expect([e.invariantWeight, e.variantWeight, e.variant]).toEqual([1, 0, null]);
    expect(e.rating).toBeCloseTo(trained.scorePairs(Int32Array.of(1), Int32Array.of(2))[0], 5);
    expect(() => restoreModel('lightgcn', {}, new Map(), data)).toThrow(/model kind "lightgcn" is unknown; expected one of popularity, /);
    expect(() => restoreModel('variant', config, trained.getWeights(), data)).toThrow(/needs its feature mask/);
    trained.dispose();
    restored.model.dispose();
  });

  it('takes graph statistics made beforehand with restoreStatsOptions, and scores as when it makes them', () => {
    const data = wideDataset();
    const backbone = { ...WIDE_CONFIG, iiNeighborNum: 3, iiDiagonalZero: true, iiContentNeighborNum: 2, iiContentWeight: 0.1 };
    const trained = new EiorModel(data, backbone, eior.fusion, mask, { rng: new Random(2) });
    trained.trainStep(WIDE_BATCH);
    const weights = new Map([...trained.getWeights(), ['mask', mask]]);
    const config = { backbone, eior } as unknown as Record<string, unknown>;
    // the co-occurrence neighbours alone: content neighbours change training, not scoring
    const options = restoreStatsOptions('eior', config);
    expect(options).toEqual({ iiNeighborNum: 3, iiDiagonalZero: true });
    const stats = computeGraphStats(data.numUsers, data.numItems, data.train, options!);
    const given = restoreModel('eior', config, weights, data, { stats });
    const made = restoreModel('eior', config, weights, data);
    expect((given.model as EiorModel).stats).toBe(stats);
    expect((made.model as EiorModel).stats).toEqual(stats);
    expect(Array.from(given.model.scorePairs(users, items))).toEqual(Array.from(trained.scorePairs(users, items)));
    expect(given.explain(2, 5)).toEqual(made.explain(2, 5));
    expect(restoreStatsOptions('ultragcn', WIDE_CONFIG as unknown as Record<string, unknown>)).toEqual({ iiNeighborNum: WIDE_CONFIG.iiNeighborNum, iiDiagonalZero: false });
    expect(restoreStatsOptions('popularity', {})).toBeNull();
    expect(() => restoreStatsOptions('lightgcn', {})).toThrow(/model kind "lightgcn" is unknown/);
    trained.dispose();
    given.model.dispose();
    made.model.dispose();
  });

  it('refuses statistics of another graph or another neighbour count, naming the difference', () => {
    const data = wideDataset();
    const trained = new UltraGcn(data, WIDE_CONFIG, { rng: new Random(2) });
    const config = WIDE_CONFIG as unknown as Record<string, unknown>;
    const other = computeGraphStats(data.numUsers, data.numItems, data.train, { iiNeighborNum: WIDE_CONFIG.iiNeighborNum + 1, iiDiagonalZero: false });
    expect(() => restoreModel('ultragcn', config, trained.getWeights(), data, { stats: other })).toThrow(
      `graph statistics: neighborNum is ${WIDE_CONFIG.iiNeighborNum + 1}; expected ${WIDE_CONFIG.iiNeighborNum} for this dataset and model config`,
    );
    const fewer = computeGraphStats(data.numUsers - 1, data.numItems, { users: data.train.users.map((u) => Math.min(u, data.numUsers - 2)), items: data.train.items }, restoreStatsOptions('ultragcn', config)!);
    expect(() => restoreModel('ultragcn', config, trained.getWeights(), data, { stats: fewer })).toThrow(`graph statistics: numUsers is ${data.numUsers - 1}; expected ${data.numUsers}`);
    trained.dispose();
  });
});
