// Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh, Talwalkar, JMLR 2018; docs/method.md#9-model-selection-the-popularity-floor-and-tuning):
// brackets of successive halving (Jamieson and Talwalkar, AISTATS 2016) over the number of training epochs. Each bracket s samples n configs, trains each for
// r epochs, keeps the best 1/η by validation NDCG@20 and trains them η times longer, until one config has had R epochs.
// Poor configs are stopped after a few epochs; the brackets differ in how early they judge.
// The schedule is a pure function of (R, r_min, η); the driver replays it deterministically, so a tuning that was
// killed resumes by skipping the trials it finds already finished.

export interface HyperbandOptions {
  /** R: the most epochs one trial may train (the last rung of every bracket). */
  maxEpochs: number;
  /** The fewest epochs a trial trains (the first rung of the most exploratory bracket). */
  minEpochs: number;
  /** η: the share kept at each rung is 1/η, and the epochs grow η-fold. */
  eta: number;
}

export interface Rung {
  /** i, from 0. */
  rung: number;
  /** n_i = ⌊n·η^-i⌋ configs trained at this rung. */
  configs: number;
  /** r_i = r·η^i epochs each. */
  epochs: number;
}

export interface Bracket {
  /** s, from s_max down to 0. */
  bracket: number;
  rungs: Rung[];
}

export const DEFAULT_HYPERBAND: Readonly<HyperbandOptions> = Object.freeze({ maxEpochs: 27, minEpochs: 1, eta: 3 });

/** The brackets in the order Hyperband runs them (most exploratory first), as in Algorithm 1 of the paper. */
export function hyperbandBrackets(options: HyperbandOptions): Bracket[] {
  const { maxEpochs: R, minEpochs, eta } = options;
  if (!(Number.isInteger(eta) && eta >= 2)) throw new RangeError(`hyperband eta = ${eta}: expected an integer >= 2`);
  if (!(Number.isInteger(minEpochs) && minEpochs >= 1 && Number.isInteger(R) && R >= minEpochs)) {
    throw new RangeError(`hyperband epochs ${minEpochs}..${R}: expected integers with 1 <= minEpochs <= maxEpochs`);
  }
  // s_max = ⌊log_η(R / r_min)⌋, computed in integers (a float log of 27/1 in base 3 can land just below 3)
  let sMax = 0;
  while (minEpochs * eta ** (sMax + 1) <= R) sMax++;
  const out: Bracket[] = [];
  for (let s = sMax; s >= 0; s--) {
    const n = Math.ceil(((sMax + 1) / (s + 1)) * eta ** s);
    const r = R / eta ** s;
    const rungs: Rung[] = [];
    for (let i = 0; i <= s; i++) rungs.push({ rung: i, configs: Math.floor(n / eta ** i), epochs: Math.max(1, Math.round(r * eta ** i)) });
    out.push({ bracket: s, rungs });
  }
  return out;
}

/** Total epochs of a full Hyperband run: what a budget has to pay for to finish every bracket. */
export function hyperbandEpochs(brackets: readonly Bracket[]): number {
  return brackets.reduce((sum, b) => sum + b.rungs.reduce((s, r) => s + r.configs * r.epochs, 0), 0);
}
