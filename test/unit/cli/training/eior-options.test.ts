import * as lib from '@eior/model';
import { CliError } from '../../../../apps/cli/src/errors';
import { ENVIRONMENT_SOURCES, FUSION_NAMES, PENALTY_NAMES, givenEiorFlags, parseEiorSet, resolveEiorFlags } from '../../../../apps/cli/src/training/eior-options';

const { QUICK_EIOR_PRESET, INVRL_EIOR_PRESET } = lib;

// the CLI lists its flags' choices itself, so that `--help` need not start TensorFlow.js; they must be the model's
it('offers the same penalties, fusions and environment sources as the model accepts', () => {
  expect([...PENALTY_NAMES]).toEqual([...lib.INVARIANCE_PENALTIES]);
  expect([...FUSION_NAMES]).toEqual([...lib.FUSION_KINDS]);
  expect([...ENVIRONMENT_SOURCES]).toEqual([...lib.ENVIRONMENT_SOURCES]);
});

function refusal(run: () => unknown): CliError {
  try {
    run();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('parseEiorSet', () => {
  it('types each value after the preset value of its key: numbers, booleans and text', () => {
    const set = parseEiorSet('environments.maxRounds=1, mask.lr=1e-3,fusion.warmStart=false,mask.penalty=vrex,fusion.rho=.5', QUICK_EIOR_PRESET);
    expect([...set]).toEqual([
      ['environments.maxRounds', 1],
      ['mask.lr', 0.001],
      ['fusion.warmStart', false],
      ['mask.penalty', 'vrex'],
      ['fusion.rho', 0.5],
    ]);
    expect(parseEiorSet('', QUICK_EIOR_PRESET).size).toBe(0);
  });

  it('refuses an unknown key, naming it and the known keys', () => {
    const err = refusal(() => parseEiorSet('mask.epochs=2,mask.foo=1', QUICK_EIOR_PRESET));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^--eior-set: unknown key "mask\.foo": expected one of environments\.source, .*mask\.epochs, .*fusion\.epochs(, |$)/);
    expect(refusal(() => parseEiorSet('epochs=2', QUICK_EIOR_PRESET)).message).toMatch(/unknown key "epochs"/);
    expect(refusal(() => parseEiorSet('mask.toString=2', QUICK_EIOR_PRESET)).message).toMatch(/unknown key "mask\.toString"/);
    expect(refusal(() => parseEiorSet('mask.epochs.x=2', QUICK_EIOR_PRESET)).message).toMatch(/unknown key "mask\.epochs\.x"/);
  });

  it('refuses a value of the wrong type, an entry without = and a key given twice', () => {
    expect(refusal(() => parseEiorSet('mask.epochs=two', QUICK_EIOR_PRESET)).message).toBe('--eior-set mask.epochs="two" is not valid: expected a number');
    expect(refusal(() => parseEiorSet('mask.epochs=', QUICK_EIOR_PRESET)).message).toBe('--eior-set mask.epochs="" is not valid: expected a number');
    expect(refusal(() => parseEiorSet('fusion.warmStart=1', QUICK_EIOR_PRESET)).message).toBe('--eior-set fusion.warmStart="1" is not valid: expected true or false');
    expect(refusal(() => parseEiorSet('mask.epochs', QUICK_EIOR_PRESET)).message).toMatch(/--eior-set "mask\.epochs" is not key=value/);
    expect(refusal(() => parseEiorSet('mask.epochs=2,mask.epochs=3', QUICK_EIOR_PRESET)).message).toBe('--eior-set sets mask.epochs twice: give it once');
  });
});

describe('resolveEiorFlags', () => {
  it('starts from the quick preset and applies the shorthands and --eior-set', () => {
    const config = resolveEiorFlags({ penalty: 'irmv1', fusion: 'global', environments: 'inferred', eiorSet: 'mask.epochs=2,fusion.epochs=3' }, lib);
    // a named penalty asks for the penalty's mask learner, not the preset's stability estimate
    expect(config.mask).toEqual({ ...QUICK_EIOR_PRESET.mask, penalty: 'irmv1', estimator: 'penalty', epochs: 2 });
    expect(config.fusion).toEqual({ ...QUICK_EIOR_PRESET.fusion, kind: 'global', epochs: 3 });
    expect(config.environments).toEqual({ ...QUICK_EIOR_PRESET.environments, source: 'inferred' });
    expect(QUICK_EIOR_PRESET.mask.epochs).toBe(20); // the preset itself is left alone
    expect(QUICK_EIOR_PRESET.environments.source).toBe('time');
    expect(resolveEiorFlags({}, lib)).toEqual(QUICK_EIOR_PRESET);
    expect(resolveEiorFlags({ eiorPreset: 'invrl' }, lib)).toEqual(INVRL_EIOR_PRESET);
    expect(resolveEiorFlags({ penalty: 'vrex', eiorSet: 'mask.estimator=stability' }, lib).mask).toMatchObject({ penalty: 'vrex', estimator: 'stability' });
  });

  it('refuses a value out of range naming the flag and the key', () => {
    const err = refusal(() => resolveEiorFlags({ eiorSet: 'environments.maxRounds=1,mask.epochs=0' }, lib));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('--eior-set mask.epochs=0 is not valid: expected an integer >= 1 and <= 10000');
    expect(refusal(() => resolveEiorFlags({ eiorSet: 'mask.penalty=irm' }, lib)).message).toBe('--eior-set mask.penalty=irm is not valid: expected variance, irmv1, vrex');
    expect(refusal(() => resolveEiorFlags({ eiorSet: 'environments.tolerance=1.5' }, lib)).message).toMatch(/^--eior-set environments\.tolerance=1\.5 is not valid: expected a number >= 0 and <= 1$/);
  });

  it('refuses an unknown preset or shorthand value, and a key set by a shorthand and --eior-set', () => {
    expect(refusal(() => resolveEiorFlags({ eiorPreset: 'fast' }, lib)).message).toBe('--eior-preset "fast" is not valid: expected one of quick, invrl');
    expect(refusal(() => resolveEiorFlags({ penalty: 'irm' }, lib)).message).toBe('--penalty "irm" is not valid: expected one of variance, irmv1, vrex');
    expect(refusal(() => resolveEiorFlags({ fusion: 'mean' }, lib)).message).toBe('--fusion "mean" is not valid: expected one of attention, global, fixed');
    expect(refusal(() => resolveEiorFlags({ environments: 'random' }, lib)).message).toBe('--environments "random" is not valid: expected one of inferred, time');
    expect(refusal(() => resolveEiorFlags({ penalty: 'vrex', eiorSet: 'mask.penalty=irmv1' }, lib)).message).toBe(
      '--penalty and --eior-set mask.penalty both set mask.penalty: give one of them',
    );
  });
});

describe('givenEiorFlags', () => {
  it('names the flags that were given, so that other models can refuse them', () => {
    expect(givenEiorFlags({})).toEqual([]);
    expect(givenEiorFlags({ eiorSet: 'mask.epochs=2', fusion: 'fixed', eiorPreset: 'quick' })).toEqual(['--eior-preset', '--fusion', '--eior-set']);
  });
});
