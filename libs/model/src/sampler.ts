// Negative sampling for UltraGCN's L_L (official `sampling`): N(u, i) = `negativeNum` items drawn uniformly
// from the catalogue, optionally outside the user's train positives (official `sampling_sift_pos`).
import { ModelError } from './errors';
import { csrHas, type CsrIndex } from './interactions';
import type { Random } from './random';
import type { EdgeList, TrainBatch } from './types';

export interface NegativeSamplerOptions {
  numItems: number;
  negativeNum: number;
  /** Redraw an item the user has in train (rejection sampling). */
  excludePositives: boolean;
  /** Each user's train items; required when `excludePositives`. */
  userItems?: CsrIndex;
}

export class NegativeSampler {
  readonly negativeNum: number;
  private readonly numItems: number;
  private readonly excludePositives: boolean;
  private readonly userItems?: CsrIndex;

  constructor(options: NegativeSamplerOptions, private readonly rng: Random) {
    if (options.excludePositives && !options.userItems) {
      throw new ModelError('BAD_USER_INPUT', 'excludePositives needs the users\' train items (userItems)');
    }
    this.numItems = options.numItems;
    this.negativeNum = options.negativeNum;
    this.excludePositives = options.excludePositives;
    this.userItems = options.userItems;
  }

  /** Negatives for each user of `users`, row-major [users.length, negativeNum]. */
  sample(users: Int32Array, out: Int32Array = new Int32Array(users.length * this.negativeNum)): Int32Array {
    const n = this.negativeNum;
    const numItems = this.numItems;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const index = this.excludePositives ? this.userItems : undefined;
      if (index) {
        const degree = index.offsets[u + 1] - index.offsets[u];
        if (degree >= numItems) {
          throw new ModelError('BAD_USER_INPUT', `user ${u} has all ${numItems} items in train: no negative exists to sample`);
        }
      }
      for (let s = 0; s < n; s++) {
        let item = this.rng.nextInt(numItems);
        if (index) while (csrHas(index, u, item)) item = this.rng.nextInt(numItems);
        out[b * n + s] = item;
      }
    }
    return out;
  }
}

/**
 * Positive pairs of one epoch in shuffled batches; the last batch may be smaller. With `subset`, only those
 * train edges (indexes into `edges`), as per-environment training needs.
 */
export function* shuffledBatches(
  edges: EdgeList,
  batchSize: number,
  sampler: NegativeSampler,
  rng: Random,
  subset?: Int32Array,
): Generator<TrainBatch> {
  const n = subset ? subset.length : edges.users.length;
  const order = rng.permutation(n);
  for (let start = 0; start < order.length; start += batchSize) {
    const size = Math.min(batchSize, order.length - start);
    const users = new Int32Array(size);
    const posItems = new Int32Array(size);
    const edgeIds = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      const e = subset ? subset[order[start + b]] : order[start + b];
      users[b] = edges.users[e];
      posItems[b] = edges.items[e];
      edgeIds[b] = e;
    }
    yield { users, posItems, negItems: sampler.sample(users), edges: edgeIds };
  }
}
