import { Random } from '@eior/model';

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('draws floats in [0, 1) and integers in [0, n)', () => {
    const rng = new Random(1);
    for (let k = 0; k < 10_000; k++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const i = rng.nextInt(7);
      expect(Number.isInteger(i) && i >= 0 && i < 7).toBe(true);
    }
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const values = new Random(9).normalArray(20_000, 0.5, 2);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(0.5, 1);
  });

  it('shuffles into a permutation that depends on the seed', () => {
    const p = new Random(4).permutation(50);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(new Random(4).permutation(50))).toEqual(Array.from(p));
  });

  it('refuses a seed that is not a finite number', () => {
    expect(() => new Random(Number.NaN)).toThrow(/finite/);
  });
});
