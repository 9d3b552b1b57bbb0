// Seeded random samples for the drift tests (mulberry32 + Box-Muller), so every run sees the same data.

export type SeededRandom = {
  /** uniform on [0, 1) */
  uniform: () => number;
  /** standard normal */
  normal: () => number;
};

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** n draws from N(mean, sd²). */
export function normalSample(random: SeededRandom, n: number, mean = 0, sd = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * random.normal();
  return out;
}

/** n category codes 0..k-1 drawn with the given probabilities (which sum to 1). */
export function categoricalSample(random: SeededRandom, n: number, probabilities: readonly number[]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random.uniform();
    let k = 0;
    let cumulative = probabilities[0];
    while (u >= cumulative && k < probabilities.length - 1) cumulative += probabilities[++k];
    out[i] = k;
  }
  return out;
}

/** `count` copies of each value, in order: [a, a, ..., b, b, ...]. */
export function repeated(values: readonly number[], count: number): number[] {
  return values.flatMap((v) => Array.from({ length: count }, () => v));
}
