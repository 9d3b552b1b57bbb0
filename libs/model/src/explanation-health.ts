// Explanation health of a trained version (docs/method.md#explanation-health): over a seeded sample
// of (user, top-K item) pairs, the pairs a product serves, how much of the rating comes from content, how α_I spreads,
// whether the modality parts are faithful (zeroing a modality's block of x moves each branch score by exactly its
// stated part; how far the item moves in the user's list), and how concentrated the co-occurrence evidence behind
// "because you interacted with" is. Computed once at training time and stored with the version.
import { ItemSimilarity } from './because-you-watched';
import { EiorModel } from './eior';
import { healthFlags, type HealthFlag } from './health-flags';
import { binarizeMask } from './invariant-mask';
import { healthSubject, type HealthSubject, type WeightedParts } from './health-subject';
import { buildUserItemIndex, csrRow, type CsrIndex } from './interactions';
import { Random } from './random';
import { topKIndices } from './top-k';
import type { RecDataset, RecModel } from './types';

/** Mean, standard deviation and percentiles of a sample. */
export interface Spread {
  mean: number;
  std: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface ModalityFaithfulness {
  modality: string;
  /**
   * max over pairs of |ŷ of the copy with the block zeroed (its own full-ranking path) − Σ_b α'_b (s_b − c_b,m)|, α'
   * the copy's weights: float32 rounding (about 1e-6) when the stated parts are what the model computes.
   */
  maxDeviation: number;
  /** Mean |rank without the modality − rank| of the pair's item in the user's list (train items excluded). */
  meanRankChange: number;
  /** Mean |Σ_b w_b c_b,m|, the modality's stated part of the rating. */
  meanContribution: number;
}

/**
 * The "because you interacted with" check. UltraGCN and EIOR scores do not read the history at serving time (e_u is
 * a trained row), so removing history items changes no score; what the list claims is co-occurrence evidence, the
 * item-based score Σ_{j ∈ history} ω_ij that UltraGCN's item-item constraint trains towards. Its drop when the named
 * items are removed is set against the drop when as many random history items are removed.
 */
export interface EvidenceCheck {
  /** How many items are removed: the list's default length. */
  removed: number;
  users: number;
  pairs: number;
  /** Mean of Σ ω_ij over the named items (0 for items named by content cosine: they carry no co-occurrence). */
  meanDropNamed: number;
  /** Mean of the expected Σ ω_ij over `removed` history items chosen at random. */
  meanDropRandom: number;
  /** meanDropNamed / meanDropRandom; null when random removal drops nothing. */
  ratio: number | null;
}

export interface ExplanationHealth {
  sample: { seed: number; users: number; pairs: number; topK: number };
  /** Shares of Σ|part| over the pairs (α-weighted): content (all modality parts), item ids, biases; null without parts. */
  shares: { content: number; id: number; bias: number } | null;
  /** α_I over the pairs; null for models without two fused branches. */
  alpha: Spread | null;
  /**
   * The feature mask: its columns, the share kept (m > 0.5) and `stable`, the columns whose value stands out above
   * the rest (`binarizeMask`'s `outliers` rule: what the invariance stage found stable across environments, absent
   * from health stored before 2026-12-06); null for kinds without one.
   */
  mask: { columns: number; kept: number; stable?: number } | null;
  modalities: ModalityFaithfulness[];
  becauseYouWatched: EvidenceCheck | null;
  /**
   * EIOR's new-item route (docs/method.md#new-items): the items it scores and how many of the sampled pairs it scored;
   * null for versions without one (absent from health stored before 2026-12-06).
   */
  newItems?: { items: number; routedPairs: number } | null;
  /** Degenerate splits, in words. */
  flags: HealthFlag[];
}

export interface HealthOptions {
  seed?: number;
  /** Users sampled (those with train items), default 64. */
  users?: number;
  /** Items per user, default 20. */
  topK?: number;
  /** Items removed in the evidence check, default 3 (the explanation's default list length). */
  removed?: number;
  /** The mask the version's final model applies, m (the EIOR kinds). */
  mask?: Float32Array;
  /** The mask before rounding (`mask.binarize`), on which the stable columns are counted; default `mask`. */
  learnedMask?: Float32Array;
  /** The mask the model itself applies to x, when it is a one-branch UltraGCN (InvRL: m, variant-only: 1 − m). */
  featureMask?: Float32Array;
}

type DatasetPart = Pick<RecDataset, 'numUsers' | 'numItems' | 'train' | 'features'>;

export function computeExplanationHealth(model: RecModel, dataset: DatasetPart, options: HealthOptions = {}): ExplanationHealth {
  const seed = options.seed ?? 0;
  const topK = options.topK ?? 20;
  const subject = healthSubject(model, dataset, options.featureMask);
  const history = buildUserItemIndex(dataset.numUsers, dataset.numItems, dataset.train);
  const rng = new Random(seed);
  const users = sampleUsers(history, dataset.numUsers, options.users ?? 64, rng);
  const scores = model.scoreAllItems(users); // [users, numItems]
  const pairs: { row: number; user: number; item: number }[] = [];
  users.forEach((user, row) => {
    const own = csrRow(history, user);
    for (const i of own) scores[row * dataset.numItems + i] = -Infinity;
    for (const item of topKIndices(scores, row * dataset.numItems, dataset.numItems, topK)) pairs.push({ row, user, item });
  });
  const parts = pairs.map((p) => subject.branches(p.user, p.item));
  const health: Omit<ExplanationHealth, 'flags'> = {
    sample: { seed, users: users.length, pairs: pairs.length, topK },
    shares: shares(parts),
    alpha: alphaSpread(parts),
    mask: options.mask ? maskFigures(options.mask, options.learnedMask ?? options.mask) : null,
    modalities: modalityFaithfulness(subject, dataset.numItems, users, scores, pairs, parts),
    becauseYouWatched: evidenceCheck(dataset, history, pairs, options.removed ?? 3),
    newItems: newItemFigures(model, pairs),
  };
  return { ...health, flags: healthFlags(health) };
}

function newItemFigures(model: RecModel, pairs: { item: number }[]): ExplanationHealth['newItems'] {
  const route = model instanceof EiorModel ? model.newItemRoute : null;
  if (!route?.currentCalibration) return null;
  return { items: route.parts.items.length, routedPairs: pairs.filter((p) => route.routes(p.item)).length };
}

function maskFigures(mask: Float32Array, learned: Float32Array): NonNullable<ExplanationHealth['mask']> {
  if (mask.length === 0) return { columns: 0, kept: 0, stable: 0 };
  const kept = mask.filter((m) => m > 0.5).length / mask.length;
  return { columns: mask.length, kept, stable: binarizeMask(learned, 'outliers').reduce((a, b) => a + b, 0) };
}

/** Up to `count` distinct users with train items, drawn by the seeded generator. */
function sampleUsers(history: CsrIndex, numUsers: number, count: number, rng: Random): Int32Array {
  const pool: number[] = [];
  for (let u = 0; u < numUsers; u++) if (history.offsets[u + 1] > history.offsets[u]) pool.push(u);
  for (let k = 0; k < Math.min(count, pool.length); k++) {
    const j = k + rng.nextInt(pool.length - k);
    [pool[k], pool[j]] = [pool[j], pool[k]];
  }
  return Int32Array.from(pool.slice(0, Math.min(count, pool.length)));
}

function shares(parts: (WeightedParts[] | null)[]): ExplanationHealth['shares'] {
  let content = 0;
  let id = 0;
  let bias = 0;
  for (const branches of parts) {
    if (!branches) return null;
    let c = 0;
    let d = 0;
    let b = 0;
    for (const { weight, parts: p } of branches) {
      c += weight * p.modalities.reduce((a, m) => a + m.contribution, 0);
      d += weight * p.id;
      b += weight * p.bias;
    }
    content += Math.abs(c);
    id += Math.abs(d);
    bias += Math.abs(b);
  }
  const total = content + id + bias;
  return total > 0 ? { content: content / total, id: id / total, bias: bias / total } : null;
}

function alphaSpread(parts: (WeightedParts[] | null)[]): Spread | null {
  const alphas: number[] = [];
  for (const branches of parts) {
    const invariant = branches?.find((b) => b.branch === 'invariant');
    if (!branches || branches.length < 2 || !invariant) return null;
    alphas.push(invariant.weight);
  }
  return alphas.length ? spread(alphas) : null;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, v) => a + v, 0) / n;
  const std = Math.sqrt(sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  // linear interpolation between closest ranks (numpy's default)
  const at = (q: number): number => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  };
  return { mean, std, p5: at(0.05), p25: at(0.25), p50: at(0.5), p75: at(0.75), p95: at(0.95) };
}

/** Zeroes each modality's block of x in a copy of the model, then compares each branch score and the item's rank. */
function modalityFaithfulness(
  subject: HealthSubject,
  numItems: number,
  users: Int32Array,
  scores: Float32Array,
  pairs: { row: number; user: number; item: number }[],
  parts: (WeightedParts[] | null)[],
): ModalityFaithfulness[] {
  if (!subject.withoutModality || pairs.length === 0) return [];
  return subject.modalities.map((modality) => {
    const without = subject.withoutModality!(modality);
    try {
      const after = without.model.scoreAllItems(users);
      let maxDeviation = 0;
      let rankChange = 0;
      let contribution = 0;
      pairs.forEach(({ row, user, item }, n) => {
        const before = parts[n] ?? [];
        const changed = without.branches(user, item) ?? [];
        // the rating the copy really gives (its full-ranking path) against the one the stated parts predict: each
        // branch score less its part, weighted by the copy's α (the attention reads the item, so α may move)
        let stated = 0;
        let predicted = 0;
        before.forEach((b, k) => {
          const c = b.parts.modalities.find((m) => m.modality === modality)?.contribution ?? 0;
          stated += b.weight * c;
          predicted += changed[k].weight * (b.parts.score - c);
        });
        if (before.length) maxDeviation = Math.max(maxDeviation, Math.abs(after[row * numItems + item] - predicted));
        contribution += Math.abs(stated);
        // scores[] has the user's train items at −Infinity already; mask the same ones in `after`
        for (let i = 0; i < numItems; i++) if (scores[row * numItems + i] === -Infinity) after[row * numItems + i] = -Infinity;
        rankChange += Math.abs(rankOf(after, row, numItems, item) - rankOf(scores, row, numItems, item));
      });
      return { modality, maxDeviation, meanRankChange: rankChange / pairs.length, meanContribution: contribution / pairs.length };
    } finally {
      without.dispose();
    }
  });
}

/** 0-based rank of `item` in row `row` of a [users, numItems] score matrix: how many items score strictly higher. */
function rankOf(scores: Float32Array, row: number, numItems: number, item: number): number {
  const s = scores[row * numItems + item];
  let rank = 0;
  for (let i = 0; i < numItems; i++) if (scores[row * numItems + i] > s) rank++;
  return rank;
}

/**
 * Co-occurrence evidence removed with the named items against as many random history items (EvidenceCheck). The
 * random side is the exact expectation over every choice of `removed` of the user's h items, (removed / h) Σ_j ω_ij,
 * rather than a few draws.
 */
function evidenceCheck(dataset: DatasetPart, history: CsrIndex, pairs: { user: number; item: number }[], removed: number): EvidenceCheck | null {
  const similarity = new ItemSimilarity(dataset.numUsers, dataset.numItems, dataset.train, null);
  let named = 0;
  let random = 0;
  let count = 0;
  const users = new Set<number>();
  for (const { user, item } of pairs) {
    const own = csrRow(history, user);
    if (own.length <= removed) continue; // removing the whole history leaves no random choice to compare with
    const omega = similarity.historyWeights(user, item);
    const position = new Map(Array.from(own, (j, n) => [j, n]));
    named += similarity.becauseYouWatched(user, item, removed).reduce((a, s) => a + omega[position.get(s.item)!], 0);
    random += (removed / own.length) * omega.reduce((a, w) => a + w, 0);
    count++;
    users.add(user);
  }
  if (count === 0) return null;
  const meanDropNamed = named / count;
  const meanDropRandom = random / count;
  return { removed, users: users.size, pairs: count, meanDropNamed, meanDropRandom, ratio: meanDropRandom > 0 ? meanDropNamed / meanDropRandom : null };
}
