// Full-ranking evaluation (docs/method.md#8-evaluation): every item is scored for every user with at least one held-out
// positive, the user's train items are masked (−∞, or 1e-5 under InvRL's protocol), and metrics at K are averaged.
import { buildUserItemIndex, csrRow, validateEdgeList, type CsrIndex } from './interactions';
import { userMetrics, type EvalProtocol, type MetricsAtK } from './metrics';
import { topKIndices } from './top-k';
import type { EdgeList, RecModel } from './types';

export const DEFAULT_EVAL_KS: readonly number[] = Object.freeze([10, 20]);
/** Users scored per block: 256 x 6,710 TikTok items is a 7 MB score block. */
export const DEFAULT_EVAL_CHUNK = 256;
/** The score InvRL's code gives train items instead of −∞ (it can rank them above negative scores). */
export const INVRL_TRAIN_ITEM_SCORE = 1e-5;

export interface EvaluateOptions {
  ks?: readonly number[];
  protocol?: EvalProtocol;
  /** Users per scoreAllItems call. */
  chunkSize?: number;
  /** Keep each user's values as well as the means. */
  perUser?: boolean;
}

/** Each evaluated user's values at one K, in the order of `PerUserMetrics.users`. */
export interface PerUserAtK {
  recall: Float32Array;
  precision: Float32Array;
  ndcg: Float32Array;
  hitRate: Float32Array;
}

export interface PerUserMetrics {
  users: Int32Array;
  atK: Record<number, PerUserAtK>;
}

export interface EvaluationResult {
  protocol: EvalProtocol;
  /** Users with at least one held-out positive: the denominator of every mean. */
  users: number;
  /** Means over those users, by K. */
  atK: Record<number, MetricsAtK>;
  perUser?: PerUserMetrics;
}

/** Evaluates models against one split; the train and target indexes are built once. */
export class RankingEvaluator {
  readonly numItems: number;
  private readonly train: CsrIndex;
  private readonly target: CsrIndex;
  /** Users with at least one target positive, ascending. */
  readonly users: Int32Array;

  constructor(numUsers: number, numItems: number, train: EdgeList, target: EdgeList) {
    validateEdgeList('train', train, numUsers, numItems);
    validateEdgeList('target', target, numUsers, numItems);
    this.numItems = numItems;
    this.train = buildUserItemIndex(numUsers, numItems, train);
    this.target = buildUserItemIndex(numUsers, numItems, target);
    const users: number[] = [];
    for (let u = 0; u < numUsers; u++) if (this.target.offsets[u + 1] > this.target.offsets[u]) users.push(u);
    this.users = Int32Array.from(users);
  }

  evaluate(model: Pick<RecModel, 'scoreAllItems'>, options: EvaluateOptions = {}): EvaluationResult {
    const ks = [...(options.ks ?? DEFAULT_EVAL_KS)];
    const protocol = options.protocol ?? 'standard';
    const chunkSize = options.chunkSize ?? DEFAULT_EVAL_CHUNK;
    if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new RangeError(`ks = ${JSON.stringify(ks)}; expected positive integers`);
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize = ${chunkSize}; expected a positive integer`);
    const maxK = Math.max(...ks);
    const n = this.users.length;
    const sums = ks.map(() => ({ recall: 0, precision: 0, ndcg: 0, hitRate: 0 }));
    const perUser = options.perUser ? newPerUser(this.users, ks) : undefined;
    const masked = protocol === 'standard' ? -Infinity : INVRL_TRAIN_ITEM_SCORE;
    const numItems = this.numItems;
    for (let start = 0; start < n; start += chunkSize) {
      const chunk = this.users.subarray(start, Math.min(n, start + chunkSize));
      const scores = model.scoreAllItems(chunk); // [chunk, numItems]
      if (scores.length !== chunk.length * numItems) {
        throw new RangeError(`scoreAllItems returned ${scores.length} scores; expected ${chunk.length} x ${numItems}`);
      }
      for (let c = 0; c < chunk.length; c++) {
        const u = chunk[c];
        const offset = c * numItems;
        for (const i of csrRow(this.train, u)) scores[offset + i] = masked;
        const ranked = topKIndices(scores, offset, numItems, maxK);
        const values = userMetrics(ranked, new Set(csrRow(this.target, u)), ks, protocol);
        values.forEach((m, j) => {
          sums[j].recall += m.recall;
          sums[j].precision += m.precision;
          sums[j].ndcg += m.ndcg;
          sums[j].hitRate += m.hitRate;
          if (perUser) {
            const p = perUser.atK[ks[j]];
            p.recall[start + c] = m.recall;
            p.precision[start + c] = m.precision;
            p.ndcg[start + c] = m.ndcg;
            p.hitRate[start + c] = m.hitRate;
          }
        });
      }
    }
    const atK: Record<number, MetricsAtK> = {};
    ks.forEach((k, j) => {
      const d = n > 0 ? n : 1;
      atK[k] = { recall: sums[j].recall / d, precision: sums[j].precision / d, ndcg: sums[j].ndcg / d, hitRate: sums[j].hitRate / d };
    });
    return { protocol, users: n, atK, ...(perUser ? { perUser } : {}) };
  }
}

function newPerUser(users: Int32Array, ks: readonly number[]): PerUserMetrics {
  const atK: Record<number, PerUserAtK> = {};
  for (const k of ks) {
    atK[k] = {
      recall: new Float32Array(users.length),
      precision: new Float32Array(users.length),
      ndcg: new Float32Array(users.length),
      hitRate: new Float32Array(users.length),
    };
  }
  return { users: users.slice(), atK };
}

/** One-off evaluation: builds the indexes and evaluates `model` on `target`. */
export function evaluateRanking(
  model: Pick<RecModel, 'scoreAllItems'>,
  split: { numUsers: number; numItems: number; train: EdgeList; target: EdgeList },
  options: EvaluateOptions = {},
): EvaluationResult {
  return new RankingEvaluator(split.numUsers, split.numItems, split.train, split.target).evaluate(model, options);
}
