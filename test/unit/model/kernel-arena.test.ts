import { Adam, gatheredDotBackward, gatheredDotForward, KernelArena, Random } from '@eior/model';

const rng = new Random(21);

function randomTable(arena: KernelArena, length: number): Float32Array {
  const t = arena.alloc(length);
  t.set(rng.normalArray(length, 1));
  return t;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]) / (1 + Math.abs(expected[k])));
  expect(worst).toBeLessThan(tolerance);
}

describe('KernelArena', () => {
  const arena = KernelArena.create(100_000, 20_000)!;

  it('is available where WebAssembly SIMD is (Node 20)', () => {
    expect(arena).not.toBeNull();
  });

  it.each([8, 64, 256])('computes gatheredDot forward and backward as the JS loops do at width %i, repeated rows included', (width) => {
    const rows = 12;
    const slots = 5;
    const batch = 6;
    const table = randomTable(arena, rows * width);
    const left = rng.normalArray(batch * width, 1);
    const indices = Int32Array.from({ length: batch * slots }, (_, p) => (p * 7) % rows); // rows repeat
    const dy = rng.normalArray(batch * slots, 1);
    expectClose(arena.dotForward(left, table, width, indices, slots)!, gatheredDotForward(left, table, width, indices, slots), 1e-5);
    const gradSimd = arena.alloc(rows * width);
    const gradJs = new Float32Array(rows * width);
    const dLeft = arena.dotBackward(dy, left, table, width, indices, slots, gradSimd)!;
    expectClose(dLeft, gatheredDotBackward(dy, left, table, width, indices, slots, gradJs), 1e-5);
    expectClose(gradSimd, gradJs, 1e-5);
  });

  it('declines calls it cannot take, so that the JS loops run', () => {
    const table = randomTable(arena, 10 * 6);
    const indices = Int32Array.from([0, 1]);
    expect(arena.dotForward(new Float32Array(6), table, 6, indices, 2)).toBeNull(); // width not a multiple of 8
    expect(arena.dotForward(new Float32Array(8), new Float32Array(80), 8, indices, 2)).toBeNull(); // table outside
    const big = Int32Array.from({ length: 30_000 }, () => 0);
    expect(arena.dotForward(new Float32Array(8 * 30_000), randomTable(arena, 8), 8, big, 1)).toBeNull(); // scratch
    expect(arena.adam(new Float32Array(4), new Float32Array(4), new Float32Array(4), new Float32Array(4), {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      gamma: 0,
      stepSize: 1,
      invSqrtBias2: 1,
    })).toBeNull();
  });

  it('runs Adam as the JS loop does, leaving the last n mod 4 entries to it', () => {
    const n = 1001;
    const simdParam = { name: 'p', value: randomTable(arena, n), grad: randomTable(arena, n) };
    const jsParam = { name: 'p', value: simdParam.value.slice(), grad: simdParam.grad.slice() };
    const simd = new Adam([simdParam], { lr: 0.01, gamma: 0.1 }, (length) => arena.alloc(length));
    const js = new Adam([jsParam], { lr: 0.01, gamma: 0.1 });
    for (let step = 0; step < 3; step++) {
      expect(simd.step()).toBeCloseTo(js.step(), 3);
      simdParam.grad.set(rng.normalArray(n, 1));
      jsParam.grad.set(simdParam.grad);
    }
    expectClose(simdParam.value, jsParam.value, 1e-6);
  });

  it('finds the arena that owns an array', () => {
    const inside = arena.alloc(4);
    expect(KernelArena.owning(inside)).toBe(arena);
    expect(KernelArena.owning(new Float32Array(4))).toBeUndefined();
    expect(() => arena.alloc(1e9)).toThrow(/no room/);
  });
});
