// The popularity baseline (docs/method.md#experiment-grid): s(u, i) = number of train users of item i, the same for
// every user. It has no parameters to train; it only shares the scoring contract.
import { ModelError } from './errors';
import { validateEdgeList } from './interactions';
import type { EdgeList, Explanation, RecModel } from './types';

export class PopularityModel implements RecModel {
  readonly numUsers: number;
  readonly numItems: number;
  /** Distinct train users per item. */
  readonly counts: Float32Array;

  constructor(numUsers: number, numItems: number, train: EdgeList) {
    validateEdgeList('train', train, numUsers, numItems);
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.counts = new Float32Array(numItems);
    const seen = new Set<number>();
    for (let e = 0; e < train.users.length; e++) {
      const key = train.users[e] * numItems + train.items[e];
      if (seen.has(key)) continue; // a repeated edge is one interaction, as in the binary matrix R
      seen.add(key);
      this.counts[train.items[e]] += 1;
    }
  }

  scorePairs(users: Int32Array, items: Int32Array): Float32Array {
    if (users.length !== items.length) throw new ModelError('BAD_USER_INPUT', `scorePairs: ${users.length} users but ${items.length} items`);
    const out = new Float32Array(items.length);
    for (let k = 0; k < items.length; k++) {
      if (items[k] < 0 || items[k] >= this.numItems) throw new ModelError('BAD_USER_INPUT', `item index ${items[k]}; expected 0..${this.numItems - 1}`);
      out[k] = this.counts[items[k]];
    }
    return out;
  }

  scoreAllItems(users: Int32Array): Float32Array {
    const out = new Float32Array(users.length * this.numItems);
    for (let r = 0; r < users.length; r++) out.set(this.counts, r * this.numItems);
    return out;
  }

  /** The rating alone: the item's count of train users explains itself. */
  explain(user: number, item: number): Explanation {
    return { rating: this.scorePairs(Int32Array.of(user), Int32Array.of(item))[0], invariantWeight: null, variantWeight: null, invariant: null, variant: null };
  }

  dispose(): void {
    // nothing held
  }
}
