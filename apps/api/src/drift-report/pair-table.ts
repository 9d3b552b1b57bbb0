// A set of user-item pairs with the values drift compares over them, computed once per pair: the model's rating,
// α_I, and the item's popularity. Comparisons pick rows of a table by index, so the model scores each pair once
// however many comparisons use it.
import type { ServingModel } from '../serving/serving-model';
import type { PairSet } from './drift-samples';
import { slicer } from '../yield';

/** Pairs scored between yields to the event loop. */
const CHUNK = 500;

export class PairTable {
  private ratings: Float64Array | null = null;
  private weights: Float64Array | null | undefined;

  constructor(
    readonly model: ServingModel,
    readonly pairs: PairSet,
    private readonly popularity: Float64Array,
  ) {}

  get size(): number {
    return this.pairs.users.length;
  }

  /** Scores every pair (rating and α_I) in chunks, giving way to requests between them; call once before use. */
  async prepare(): Promise<void> {
    const step = slicer();
    const ratings = new Float64Array(this.size);
    const first = this.size ? this.model.weigh(this.pairs.users[0], this.pairs.items[0]).invariantWeight : null;
    const weights = first === null ? null : new Float64Array(this.size);
    for (let from = 0; from < this.size; from += CHUNK) {
      const to = Math.min(this.size, from + CHUNK);
      ratings.set(this.model.scorePairs(this.pairs.users.subarray(from, to), this.pairs.items.subarray(from, to)), from);
      if (weights) for (let k = from; k < to; k++) weights[k] = this.model.weigh(this.pairs.users[k], this.pairs.items[k]).invariantWeight as number;
      await step();
    }
    this.ratings = ratings;
    this.weights = weights;
  }

  rating(rows: Int32Array): Float64Array {
    if (!this.ratings) throw new Error('PairTable.prepare() must run first');
    return pick(this.ratings, rows);
  }

  /** α_I of the rows' pairs; null for models without two weighted branches. */
  invariantWeight(rows: Int32Array): Float64Array | null {
    if (this.weights === undefined) throw new Error('PairTable.prepare() must run first');
    return this.weights === null ? null : pick(this.weights, rows);
  }

  itemPopularity(rows: Int32Array): Float64Array {
    return Float64Array.from(rows, (r) => this.popularity[this.pairs.items[r]]);
  }

  /** The rows' values of column `column` of modality block `features` (row-major [numItems, width]). */
  feature(rows: Int32Array, features: { data: Float32Array; width: number }, column: number): Float64Array {
    return Float64Array.from(rows, (r) => features.data[this.pairs.items[r] * features.width + column]);
  }
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (r) => values[r]);
}

/** Training interactions of each item. */
export function itemPopularity(model: ServingModel): Float64Array {
  const degree = new Float64Array(model.numItems);
  for (const i of model.data.train.items) degree[i]++;
  return degree;
}
