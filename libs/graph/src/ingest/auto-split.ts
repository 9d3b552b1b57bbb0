// The split made when the input has none: per user, temporal when every pair has a time (the latest pairs are
// held out for test, the ones just before for validation), seeded random otherwise. Pairs, not events, are
// split, so no pair is in two splits.
import { Prng } from '../mmrec/prng';
import type { PairRows } from './collapse-events';

export type SplitMade = 'input' | 'temporal' | 'random';

/** Share of each user's pairs held out for validation and for test (rounded, at least 1 each). */
export const HOLDOUT_FRACTION = 0.1;
/** Users with fewer pairs than this keep all of them in train: one pair left to learn from is too few. */
export const MIN_PAIRS_TO_HOLD_OUT = 3;

export interface SplitOutcome {
  made: SplitMade;
  /** Seed of the random split. */
  seed?: number;
}

/** Pairs held out for valid and for test from a user with n pairs. */
export function holdoutSize(n: number): number {
  return n < MIN_PAIRS_TO_HOLD_OUT ? 0 : Math.max(1, Math.round(n * HOLDOUT_FRACTION));
}

/**
 * Fills pairs.splits in place. Pairs arrive grouped by user (collapseEvents' order). Temporal: a user's pairs by
 * time, then item index on ties. Random: one generator, users in index order, a Fisher-Yates shuffle each.
 */
export function makeSplit(pairs: PairRows, seed: number): SplitOutcome {
  const ts = pairs.timestamps;
  let temporal = ts !== undefined;
  for (let p = 0; temporal && p < pairs.count; p++) if (Number.isNaN(ts![p])) temporal = false;
  const rng = new Prng(seed);
  let from = 0;
  while (from < pairs.count) {
    let to = from + 1;
    while (to < pairs.count && pairs.users[to] === pairs.users[from]) to++;
    const mine = Array.from({ length: to - from }, (_, k) => from + k);
    if (temporal) {
      mine.sort((a, b) => ts![a] - ts![b] || pairs.items[a] - pairs.items[b]);
    } else {
      for (let k = mine.length - 1; k > 0; k--) {
        const j = rng.nextUint32() % (k + 1);
        [mine[k], mine[j]] = [mine[j], mine[k]];
      }
    }
    const h = holdoutSize(mine.length);
    mine.forEach((p, k) => {
      pairs.splits[p] = k >= mine.length - h ? 2 : k >= mine.length - 2 * h ? 1 : 0;
    });
    from = to;
  }
  return temporal ? { made: 'temporal' } : { made: 'random', seed };
}
