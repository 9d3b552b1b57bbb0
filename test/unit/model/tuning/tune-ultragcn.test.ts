// tuneUltraGcn on the tiny dataset: trials train the sampled settings for their epochs, are scored on validation
// only (the test split cannot change anything), and the search space refuses settings the config lacks.
import { ULTRAGCN_FEATURES_SEARCH_SPACE, selectBackend, ultraGcnPortfolio, ultraGcnSearchSpace, validatePortfolio, trialConfig, tuneUltraGcn, validateSearchSpace, type UltraGcnConfig } from '@eior/model';
import { TINY_CONFIG, edges, tinyDataset } from '../fixtures';

describe('tuneUltraGcn', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'wasm' });
  });
  const run = (test: ReturnType<typeof edges>) =>
    tuneUltraGcn({ ...tinyDataset(), test }, {
      base: TINY_CONFIG,
      space: validateSearchSpace<UltraGcnConfig>({ lr: { kind: 'log', min: 1e-3, max: 1e-1 }, gamma: { kind: 'log', min: 1e-4, max: 1e-1 } }, TINY_CONFIG),
      hyperband: { maxEpochs: 3, minEpochs: 1, eta: 3 },
      seed: 4,
      driver: { recorded: () => null, outOfTime: () => false },
    });

  it('scores every trial by validation NDCG@20 and never looks at the test split', async () => {
    const a = await run(edges([[2, 3], [3, 0]]));
    const b = await run(edges([[0, 5], [1, 0], [2, 5]]));
    expect(a.trials.map((t) => t.spec.epochs)).toEqual([1, 1, 1, 3, 3, 3]);
    for (const t of a.trials) {
      expect(t.outcome.status).toBe('finished');
      expect(t.outcome.score).toBeGreaterThanOrEqual(0);
      expect(t.outcome.curve.length).toBeGreaterThan(0);
    }
    expect(b.trials.map((t) => [t.spec.id, t.outcome.score, t.outcome.curve])).toEqual(a.trials.map((t) => [t.spec.id, t.outcome.score, t.outcome.curve]));
  });

  it('trains a portfolio point first, completed with the base\'s value of every other setting of the space', async () => {
    const result = await tuneUltraGcn(tinyDataset(), {
      base: TINY_CONFIG,
      space: validateSearchSpace<UltraGcnConfig>({ lr: { kind: 'log', min: 1e-3, max: 1e-1 }, gamma: { kind: 'log', min: 1e-4, max: 1e-1 } }, TINY_CONFIG),
      portfolio: [{ lr: 0.05 }],
      hyperband: { maxEpochs: 3, minEpochs: 1, eta: 3 },
      seed: 4,
      driver: { recorded: () => null, outOfTime: () => false },
    });
    expect(result.trials[0].spec.settings).toEqual({ lr: 0.05, gamma: TINY_CONFIG.gamma });
    expect(result.trials[1].spec.settings).not.toEqual(result.trials[0].spec.settings);
  });

  it('tries the preset, the popularity start and (with features) the content profile first, each a point of its space', () => {
    expect(ultraGcnPortfolio(true).map((p) => p.name)).toEqual(['defaults', 'popularity start', 'content profile']);
    expect(ultraGcnPortfolio(false).map((p) => p.name)).toEqual(['defaults', 'popularity start']);
    for (const features of [true, false]) {
      expect(() => validatePortfolio(ultraGcnPortfolio(features).map((p) => p.settings), ultraGcnSearchSpace(features))).not.toThrow();
    }
    expect(ultraGcnPortfolio(true)[2].settings).toMatchObject({ userHistoryFeatures: true, userHistoryLeaveOneOut: true, popularityInit: true });
  });

  it('trains the base config with the sampled settings, the trial epochs and about ten evaluations', () => {
    const c = trialConfig(TINY_CONFIG, { settings: { lr: 0.02 }, epochs: 27 });
    expect(c).toEqual({ ...TINY_CONFIG, lr: 0.02, epochs: 27, evalEvery: 3, patience: 10 });
    expect(() => trialConfig(TINY_CONFIG, { settings: { lr: -1 }, epochs: 3 })).toThrow(/config\.lr = -1 is invalid/);
  });

  it('declares a features space over settings UltraGCN has, and refuses one that names another', () => {
    expect(Object.keys(ULTRAGCN_FEATURES_SEARCH_SPACE)).toEqual(['lr', 'gamma', 'lambda', 'negativeNum', 'negativeWeight', 'softmaxTemperature', 'userHistoryWeight', 'userHistoryLeaveOneOut', 'popularityInit', 'projectionGamma', 'iiContentWeight', 'userHistoryFeatures', 'idPretrain']);
    expect(() => validateSearchSpace({ dropout: { kind: 'log', min: 0.1, max: 0.5 } } as never, TINY_CONFIG)).toThrow(/searchSpace\.dropout/);
    expect(() => validateSearchSpace<UltraGcnConfig>({ lr: { kind: 'log', min: 0, max: 1 } }, TINY_CONFIG)).toThrow(/a log range 0 < min <= max/);
  });
});
