// "Because you watched" (docs/method.md#7-explanations): the user's own train items most similar to a recommended item
// under UltraGCN's item-item weight ω_ij = (G_ij / g_i) · sqrt((g_i + 1) / (g_j + 1)), G = RᵀR, g_i = Σ_j G_ij,
// computed exactly for the pair (not only among the top-K kept for training). A cold item has no co-occurrence,
// so the rest of the list is filled by the cosine similarity of the items' content vectors x.
import type { ItemFeatures } from './features';
import { buildUserItemIndex, csrRow, transposeCsr, type CsrIndex } from './interactions';
import type { EdgeList } from './types';

export interface SimilarItem {
  item: number;
  similarity: number;
  /** `co-occurrence`: ω_ij from shared users; `content`: cosine of x_i and x_j. */
  kind: 'co-occurrence' | 'content';
}

export class ItemSimilarity {
  private readonly userItems: CsrIndex;
  private readonly itemUsers: CsrIndex;
  /** g_i = Σ_j G_ij = Σ over item i's users of their degrees. */
  private readonly g: Float64Array;
  /** Scratch per item, reused across calls: mark[j] === stamp flags the user's own items, shared[j] counts G_ij. */
  private readonly mark: Int32Array;
  private readonly shared: Int32Array;
  private stamp = 0;

  constructor(
    numUsers: number,
    numItems: number,
    train: EdgeList,
    private readonly content: ItemFeatures | null,
  ) {
    this.userItems = buildUserItemIndex(numUsers, numItems, train);
    this.itemUsers = transposeCsr(this.userItems);
    this.g = new Float64Array(numItems);
    this.mark = new Int32Array(numItems);
    this.shared = new Int32Array(numItems);
    for (let i = 0; i < numItems; i++) {
      for (const v of csrRow(this.itemUsers, i)) this.g[i] += this.userItems.offsets[v + 1] - this.userItems.offsets[v];
    }
  }

  /** The user's train items, most similar to `item` first, at most `k` (the item itself excluded). */
  becauseYouWatched(user: number, item: number, k: number): SimilarItem[] {
    const own = csrRow(this.userItems, user);
    if (own.length === 0 || k <= 0) return [];
    const omega = this.historyWeights(user, item);
    const scored: SimilarItem[] = [];
    own.forEach((j, n) => {
      if (j !== item && omega[n] > 0) scored.push({ item: j, similarity: omega[n], kind: 'co-occurrence' });
    });
    scored.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
    const out = scored.slice(0, k);
    if (out.length < k && this.content) {
      const taken = new Set(out.map((s) => s.item));
      const rest = Array.from(own)
        .filter((j) => j !== item && !taken.has(j))
        .map((j) => ({ item: j, similarity: this.cosine(item, j), kind: 'content' as const }))
        .sort((a, b) => b.similarity - a.similarity || a.item - b.item);
      out.push(...rest.slice(0, k - out.length));
    }
    return out;
  }

  /**
   * ω_ij for each of the user's train items j (in the order of their CSR row; 0 where j shares no user with
   * `item`, and for j = item): the co-occurrence evidence the "because you watched" list ranks by.
   */
  historyWeights(user: number, item: number): Float64Array {
    const own = csrRow(this.userItems, user);
    const stamp = ++this.stamp;
    for (const j of own) {
      this.mark[j] = stamp;
      this.shared[j] = 0;
    }
    // plain index loops over the CSR arrays: a subarray per user would allocate thousands of views per call
    const { offsets: uo, cols: uc } = this.itemUsers;
    const { offsets: io, cols: ic } = this.userItems;
    for (let a = uo[item]; a < uo[item + 1]; a++) {
      const v = uc[a];
      for (let b = io[v]; b < io[v + 1]; b++) if (this.mark[ic[b]] === stamp) this.shared[ic[b]]++;
    }
    const gi = this.g[item];
    return Float64Array.from(own, (j) => (j === item || this.shared[j] === 0 ? 0 : (this.shared[j] / gi) * Math.sqrt((gi + 1) / (this.g[j] + 1))));
  }

  /**
   * The catalogue's items most similar to `item`, at most `k`: by ω_ij over the items sharing a user with it, then,
   * for a cold item or a short list, by content cosine over the whole catalogue.
   */
  similarItems(item: number, k: number): SimilarItem[] {
    if (k <= 0) return [];
    const G = new Map<number, number>();
    for (const v of csrRow(this.itemUsers, item)) {
      for (const j of csrRow(this.userItems, v)) if (j !== item) G.set(j, (G.get(j) ?? 0) + 1);
    }
    const gi = this.g[item];
    const out: SimilarItem[] = [...G]
      .map(([j, count]) => ({ item: j, similarity: (count / gi) * Math.sqrt((gi + 1) / (this.g[j] + 1)), kind: 'co-occurrence' as const }))
      .sort((a, b) => b.similarity - a.similarity || a.item - b.item)
      .slice(0, k);
    if (out.length < k && this.content) {
      const taken = new Set(out.map((s) => s.item));
      const numItems = this.g.length;
      const rest: SimilarItem[] = [];
      for (let j = 0; j < numItems; j++) if (j !== item && !taken.has(j)) rest.push({ item: j, similarity: this.cosine(item, j), kind: 'content' });
      rest.sort((a, b) => b.similarity - a.similarity || a.item - b.item);
      out.push(...rest.slice(0, k - out.length));
    }
    return out;
  }

  private cosine(a: number, b: number): number {
    const { data, width } = this.content as ItemFeatures;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let c = 0; c < width; c++) {
      const x = data[a * width + c];
      const y = data[b * width + c];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  }
}
