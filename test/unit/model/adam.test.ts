import { Adam, halfSquaredNorm } from '@eior/model';

describe('Adam', () => {
  it('matches torch.optim.Adam with weight_decay = γ on hand-computed steps', () => {
    const value = Float32Array.from([1, -2]);
    const grad = new Float32Array(2);
    const adam = new Adam([{ name: 'p', value, grad }], { lr: 0.1, gamma: 0.5 });
    // step 1: g = [0.2, 0] + 0.5 θ = [0.7, -1]; m̂ = g, v̂ = g², so θ -= lr · sign(g) (up to ε)
    grad.set([0.2, 0]);
    const penalty = adam.step();
    expect(penalty).toBeCloseTo(0.5 * 2.5, 6); // γ ½ (1 + 4), before the update
    expect(value[0]).toBeCloseTo(0.9, 6);
    expect(value[1]).toBeCloseTo(-1.9, 6);
    expect(Array.from(grad)).toEqual([0, 0]);
    // step 2 on θ = [0.9, -1.9] with no data gradient: g = [0.45, -0.95]
    adam.step();
    const m = (g1: number, g2: number): number => (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9 ** 2);
    const v = (g1: number, g2: number): number => (0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2) / (1 - 0.999 ** 2);
    expect(value[0]).toBeCloseTo(0.9 - (0.1 * m(0.7, 0.45)) / (Math.sqrt(v(0.7, 0.45)) + 1e-8), 5);
    expect(value[1]).toBeCloseTo(-1.9 - (0.1 * m(-1, -0.95)) / (Math.sqrt(v(-1, -0.95)) + 1e-8), 5);
    expect(adam.steps).toBe(2);
  });

  it('applies a parameter\'s own γ instead of the optimizer\'s', () => {
    const own = { name: 'W', value: Float32Array.from([2]), grad: new Float32Array(1), gamma: 0.1 };
    const shared = { name: 'V', value: Float32Array.from([2]), grad: new Float32Array(1) };
    const penalty = new Adam([own, shared], { lr: 0.1, gamma: 0 }).step();
    expect(penalty).toBeCloseTo(0.1 * 2, 6); // only W is penalised: 0.1 · ½ · 4
    expect(own.value[0]).toBeCloseTo(1.9, 6);
    expect(shared.value[0]).toBe(2);
  });

  it('leaves a parameter with zero gradient and γ = 0 unchanged', () => {
    const value = Float32Array.from([3]);
    new Adam([{ name: 'p', value, grad: new Float32Array(1) }], { lr: 1, gamma: 0 }).step();
    expect(value[0]).toBe(3);
  });
});

describe('halfSquaredNorm', () => {
  it('is ½ Σ θ² over every array', () => {
    expect(halfSquaredNorm([Float32Array.from([1, 2]), Float32Array.from([3])])).toBeCloseTo(7, 12);
  });
});
