import { TIKTOK_PRESET } from '@eior/model';
import { CliError } from '../../../../apps/cli/src/errors';
import { parseUltraGcnSet, ultraGcnConfigFor } from '../../../../apps/cli/src/training/model-kinds';

describe('eior train --set', () => {
  it('reads numbers and booleans by the type of the preset value, and applies them over the preset', () => {
    const settings = parseUltraGcnSet('iiContentNeighborNum=0, projectionGamma=2e-2,centerFeatures=true', TIKTOK_PRESET);
    expect(settings).toEqual({ iiContentNeighborNum: 0, projectionGamma: 0.02, centerFeatures: true });
    const config = ultraGcnConfigFor('ultragcn-features', TIKTOK_PRESET, { settings, seed: 5 });
    expect(config).toMatchObject({ iiContentNeighborNum: 0, projectionGamma: 0.02, centerFeatures: true, seed: 5, lambda: TIKTOK_PRESET.lambda, useFeatures: true });
  });

  it.each([
    ['lr', /--set "lr" is not key=value/],
    ['iiContent=3', /--set: unknown key "iiContent": expected one of w1, w2, .*iiContentNeighborNum/],
    ['lr=fast', /--set lr="fast" is not valid: expected a number/],
    ['lr=', /--set lr="" is not valid: expected a number/],
    ['centerFeatures=1', /--set centerFeatures="1" is not valid: expected true or false/],
    ['lr=1,lr=2', /--set sets lr twice/],
    ['useFeatures=false', /--set useFeatures: give it with --model/],
    ['seed=3', /--set seed: give it with --seed/],
  ])('refuses %s, naming the problem', (raw, message) => {
    expect(() => parseUltraGcnSet(raw, TIKTOK_PRESET)).toThrow(CliError);
    expect(() => parseUltraGcnSet(raw, TIKTOK_PRESET)).toThrow(message);
  });
});
