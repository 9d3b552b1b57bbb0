// A set of user-item pairs with the values drift compares over them, computed once per pair: the model's rating,
// α_I, and the item's popularity. Comparisons pick rows of a table by index, so the model scores each pair once
// however many comparisons use it.
import type { ServingModel } from '../serving/serving-model';
import type { PairSet } from './drift-samples';

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

  rating(rows: Int32Array): Float64Array {
    this.ratings ??= Float64Array.from(this.size ? this.model.scorePairs(this.pairs.users, this.pairs.items) : []);
    return pick(this.ratings, rows);
  }

  /** α_I of the rows' pairs; null for models without two weighted branches. */
  invariantWeight(rows: Int32Array): Float64Array | null {
    if (this.weights === undefined) {
      const first = this.size ? this.model.weigh(this.pairs.users[0], this.pairs.items[0]).invariantWeight : null;
      this.weights = first === null ? null : Float64Array.from(this.pairs.users, (u, k) => this.model.weigh(u, this.pairs.items[k]).invariantWeight as number);
    }
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
