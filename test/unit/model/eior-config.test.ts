import { INVRL_EIOR_PRESET, QUICK_EIOR_PRESET, resolveEiorConfig, validateEiorConfig, type EiorConfig } from '@eior/model';

describe('EIOR config', () => {
  it('accepts both presets', () => {
    expect(() => validateEiorConfig(structuredClone(QUICK_EIOR_PRESET) as EiorConfig)).not.toThrow();
    expect(() => validateEiorConfig(structuredClone(INVRL_EIOR_PRESET) as EiorConfig)).not.toThrow();
  });

  it.each<[object, RegExp]>([
    [{ environments: { numEnvironments: 0 } }, /config\.environments\.numEnvironments = 0 is invalid: expected an integer >= 1 and <= 1000/],
    [{ environments: { source: 'weekly' } }, /config\.environments\.source = "weekly" is invalid: expected inferred or time/],
    [{ mask: { penalty: 'irmv2' } }, /config\.mask\.penalty = "irmv2" is invalid: expected variance, irmv1, vrex/],
    [{ mask: { sigma: Number.NaN } }, /config\.mask\.sigma = NaN is invalid/],
    [{ fusion: { kind: 'mlp' } }, /config\.fusion\.kind = "mlp" is invalid: expected attention, global or fixed/],
    [{ fusion: { attentionDim: 2.5 } }, /config\.fusion\.attentionDim = 2\.5 is invalid: expected an integer/],
    [{ fusion: { warmStart: 'yes' } }, /config\.fusion\.warmStart = "yes" is invalid: expected true or false/],
    [{ mask: { binarize: 1 } }, /config\.mask\.binarize = 1 is invalid: expected true or false/],
    [{ mask: { binarizeSplit: 'kmeans' } }, /config\.mask\.binarizeSplit = "kmeans" is invalid: expected half or otsu or outliers/],
    [{ mask: { userSide: 'item' } }, /config\.mask\.userSide = "item" is invalid: expected feature or whole or taste/],
    [{ mask: { muStep: 'sgd' } }, /config\.mask\.muStep = "sgd" is invalid: expected adam or shared/],
    [{ mask: { contentOnly: 'no' } }, /config\.mask\.contentOnly = "no" is invalid: expected true or false/],
    [{ mask: { debias: 0 } }, /config\.mask\.debias = 0 is invalid: expected true or false/],
    [{ mask: { rowScaledLambda: 1 } }, /config\.mask\.rowScaledLambda = 1 is invalid: expected true or false/],
    [{ mask: { linearSpread: 'yes' } }, /config\.mask\.linearSpread = "yes" is invalid: expected true or false/],
    [{ fusion: { patience: -1 } }, /config\.fusion\.patience = -1 is invalid: expected an integer >= 0/],
    [{ mask: { tasteEpochs: 0 } }, /config\.mask\.tasteEpochs = 0 is invalid: expected an integer >= 1/],
    [{ fusion: { newItems: 'cold' } }, /config\.fusion\.newItems = "cold" is invalid: expected content or model/],
    [{ mask: { estimator: 'lasso' } }, /config\.mask\.estimator = "lasso" is invalid: expected penalty or stability/],
    [{ mask: { stabilityEpochs: 0 } }, /config\.mask\.stabilityEpochs = 0 is invalid: expected an integer >= 1/],
    [{ mask: { estimator: 'stability', userSide: 'feature' } }, /config\.mask\.userSide = "feature" is invalid: expected taste with mask\.estimator stability/],
  ])('refuses %j, naming the value and what was expected', (overrides, message) => {
    expect(() => resolveEiorConfig(overrides as Parameters<typeof resolveEiorConfig>[0])).toThrow(message);
  });

  it('keeps InvRL official numbers in the invrl preset and the budget cuts in quick', () => {
    expect(INVRL_EIOR_PRESET.environments).toMatchObject({ numEnvironments: 10, epochs: 20, maxRounds: 10, tolerance: 0.01 });
    expect(INVRL_EIOR_PRESET.mask).toMatchObject({ alpha: 1, lambdaMu: 0.1, sigma: 0.01, epochs: 40, alternations: 5, growth: 1.05 });
    expect(QUICK_EIOR_PRESET.fusion).toMatchObject({ warmStart: true, patience: 5 });
    expect(QUICK_EIOR_PRESET.mask).toMatchObject({ estimator: 'stability', stabilityEpochs: 3, userSide: 'taste', tasteEpochs: 5, alpha: 0.3 });
    expect(INVRL_EIOR_PRESET.mask.estimator).toBe('penalty');
    expect(INVRL_EIOR_PRESET.fusion.patience).toBe(0); // the backbone's
    expect([INVRL_EIOR_PRESET.fusion.newItems, QUICK_EIOR_PRESET.fusion.newItems]).toEqual(['model', 'content']);
  });
});
