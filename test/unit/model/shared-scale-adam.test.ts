import { Adam, SharedScaleAdam } from '@eior/model';

describe('SharedScaleAdam', () => {
  it('steps each entry by lr · m̂_j / sqrt(mean v̂), hand-worked for two steps', () => {
    const value = Float32Array.from([1, -2]);
    const grad = Float32Array.from([0.3, 0.1]);
    const opt = new SharedScaleAdam({ name: 'mu', value, grad }, { lr: 0.1, gamma: 0.5 });
    // step 1: g = grad + 0.5 θ = [0.8, −0.9]; m̂ = g; v̂ = mean g² = (0.64 + 0.81) / 2 = 0.725
    opt.step();
    const s1 = 0.1 / Math.sqrt(0.725);
    expect(value[0]).toBeCloseTo(1 - s1 * 0.8, 6);
    expect(value[1]).toBeCloseTo(-2 + s1 * 0.9, 6);
    expect(Array.from(grad)).toEqual([0, 0]);
    // step 2 with zero gradient: g = 0.5 θ
    const t = [value[0], value[1]];
    const g2 = t.map((v) => 0.5 * v);
    const m = [0.8, -0.9].map((g, j) => 0.9 * 0.1 * g + 0.1 * g2[j]); // β1 m + (1 − β1) g, m after step 1 = 0.1 g
    const v = 0.999 * 0.001 * 0.725 + 0.001 * ((g2[0] ** 2 + g2[1] ** 2) / 2);
    const scale = 0.1 / (1 - 0.9 ** 2) / Math.sqrt(v / (1 - 0.999 ** 2));
    opt.step();
    expect(value[0]).toBeCloseTo(t[0] - scale * m[0], 5);
    expect(value[1]).toBeCloseTo(t[1] - scale * m[1], 5);
  });

  it('keeps the entries in proportion where per-entry Adam moves them alike', () => {
    const run = (make: (p: { name: string; value: Float32Array; grad: Float32Array }) => { step(): unknown }) => {
      const p = { name: 'mu', value: new Float32Array(2), grad: new Float32Array(2) };
      const opt = make(p);
      for (let k = 0; k < 20; k++) {
        p.grad.set([1, 0.1]);
        opt.step();
      }
      return p.value;
    };
    const adam = run((p) => new Adam([p], { lr: 0.01, gamma: 0 }));
    const shared = run((p) => new SharedScaleAdam(p, { lr: 0.01, gamma: 0 }));
    expect(adam[1] / adam[0]).toBeCloseTo(1, 2);
    expect(shared[1] / shared[0]).toBeCloseTo(0.1, 4);
  });
});
