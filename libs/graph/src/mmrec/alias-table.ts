// Walker's alias method (Vose's construction): O(n) to build, O(1) per draw from a fixed discrete
// distribution, which keeps sampling an item sub-linear in the size of the catalogue.
import type { Prng } from './prng';

export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;

  /** `weights` need not be normalised; they must be finite, non-negative and not all zero. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let k = 0; k < n; k++) {
      if (!(weights[k] >= 0) || !Number.isFinite(weights[k])) throw new RangeError(`alias table: weight ${k} is ${weights[k]}, expected a finite number >= 0`);
      total += weights[k];
    }
    if (!(total > 0)) throw new RangeError('alias table: expected at least one positive weight');
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let k = 0; k < n; k++) {
      scaled[k] = (weights[k] * n) / total;
      if (scaled[k] < 1) small[ns++] = k;
      else large[nl++] = k;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.probability[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    // What is left is 1 up to rounding error.
    while (nl > 0) this.probability[large[--nl]] = 1;
    while (ns > 0) this.probability[small[--ns]] = 1;
  }

  get size(): number {
    return this.probability.length;
  }

  /** One index, drawn with probability weight / total. */
  sample(rng: Prng): number {
    const k = rng.nextInt(this.probability.length);
    return rng.next() < this.probability[k] ? k : this.alias[k];
  }
}
