import { PLANTED_SHAPES, shapesFlag } from '../../../bench/model/planted';

describe("the model benches' planted shapes", () => {
  it('reads --shapes, every shape when it is absent or empty, and refuses a name it does not know', () => {
    expect(shapesFlag(undefined)).toEqual(['default', 'widths', 'shift-noise', 'shift', 'noise']);
    expect(shapesFlag('')).toEqual(shapesFlag(undefined));
    expect(shapesFlag('noise,default')).toEqual(['noise', 'default']);
    expect(() => shapesFlag('default,bogus')).toThrow('--shapes: "bogus" is not one of default, widths, shift-noise, shift, noise');
  });

  it('makes shift and noise the two changes of shift-noise, one at a time', () => {
    const both = PLANTED_SHAPES['shift-noise'];
    expect(PLANTED_SHAPES.shift).toEqual({ generate: both.generate, noiseModality: 0 });
    expect(PLANTED_SHAPES.noise).toEqual({ generate: PLANTED_SHAPES.default.generate, noiseModality: both.noiseModality });
    expect(both.noiseModality).toBeGreaterThan(0);
    expect(both.generate).not.toEqual(PLANTED_SHAPES.default.generate);
  });
});
