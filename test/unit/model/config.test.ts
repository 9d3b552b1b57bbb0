import {
  DEFAULT_ULTRAGCN_CONFIG,
  INVRL_PRESET,
  InvalidConfigError,
  resolveUltraGcnConfig,
  TIKTOK_PRESET,
  ULTRAGCN_PAPER_PRESET,
  validateUltraGcnConfig,
} from '@eior/model';

describe('validateUltraGcnConfig', () => {
  it('accepts the defaults and every preset', () => {
    expect(() => validateUltraGcnConfig({ ...DEFAULT_ULTRAGCN_CONFIG })).not.toThrow();
    expect(() => validateUltraGcnConfig({ ...ULTRAGCN_PAPER_PRESET })).not.toThrow();
    expect(() => validateUltraGcnConfig({ ...INVRL_PRESET })).not.toThrow();
    expect(() => validateUltraGcnConfig({ ...TIKTOK_PRESET })).not.toThrow();
  });

  it('names the bad value and the allowed range', () => {
    expect(() => resolveUltraGcnConfig({ negativeNum: 0 })).toThrow('config.negativeNum = 0 is invalid: expected an integer >= 1 and <= 10000');
    expect(() => resolveUltraGcnConfig({ lr: 0 })).toThrow('config.lr = 0 is invalid: expected a number > 0 and <= 10');
    expect(() => resolveUltraGcnConfig({ batchSize: 2.5 })).toThrow(/config.batchSize = 2.5 .*integer/);
    expect(() => resolveUltraGcnConfig({ w1: -1 })).toThrow(/config.w1 = -1 .*>= 0/);
    expect(() => resolveUltraGcnConfig({ gamma: Number.NaN })).toThrow(/config.gamma = NaN is invalid/);
  });

  it('throws a BAD_USER_INPUT error that carries the field', () => {
    try {
      resolveUltraGcnConfig({ useFeatures: 'yes' as unknown as boolean });
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).code).toBe('BAD_USER_INPUT');
      expect((error as InvalidConfigError).field).toBe('useFeatures');
    }
  });

  it('refuses a setting that does not exist', () => {
    expect(() => validateUltraGcnConfig({ ...INVRL_PRESET, negativeNumber: 3 } as never)).toThrow(/negativeNumber .*no such setting/);
  });
});

describe('presets', () => {
  it('holds the official UltraGCN weights', () => {
    expect(ULTRAGCN_PAPER_PRESET).toMatchObject({ w1: 1e-7, w2: 1, w3: 1e-7, w4: 1, iiNeighborNum: 10, gamma: 1e-4, useFeatures: false });
    expect(ULTRAGCN_PAPER_PRESET.lambda).toBeGreaterThan(0);
  });

  it('holds InvRL multimodal settings: w1..w4 = 1, 50 negatives, batch 512, 64 + 64 dims, lr 1e-3, no L_I', () => {
    expect(INVRL_PRESET).toMatchObject({ w1: 1, w2: 1, w3: 1, w4: 1, negativeNum: 50, batchSize: 512, idDim: 64, featureDim: 64, lr: 1e-3, lambda: 0, useFeatures: true });
    // InvRL's L2: 1e-4 ‖θ‖² on embeddings, 1e-2 ‖W‖² on the projection, here as γ and γ_W on ½‖·‖²
    expect(INVRL_PRESET).toMatchObject({ gamma: 2e-4, projectionGamma: 2e-2 });
  });

  it('keeps the official presets uncentred (x_i as InvRL builds it)', () => {
    expect(ULTRAGCN_PAPER_PRESET.centerFeatures).toBe(false);
    expect(INVRL_PRESET.centerFeatures).toBe(false);
  });

  it('tunes InvRL for TikTok: a sampled softmax, stronger L2 on embeddings and projection, the item-item loss on with content neighbours, a higher lr', () => {
    expect(TIKTOK_PRESET).toMatchObject({ ...INVRL_PRESET, softmaxTemperature: 1, gamma: 3e-2, projectionGamma: 20, lambda: 5, iiNeighborNum: 10, iiContentNeighborNum: 10, iiContentWeight: 0.02, lr: 2e-3, epochs: 90, patience: 10, evalEvery: 2, userHistoryWeight: 0.3, userHistoryFeatures: false, idPretrain: true, featurePatience: 5 });
  });

  it('applies overrides on top of a preset', () => {
    expect(resolveUltraGcnConfig({ epochs: 3 }, INVRL_PRESET)).toEqual({ ...INVRL_PRESET, epochs: 3 });
  });
});
