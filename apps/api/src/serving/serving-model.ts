// One loaded model version of one dataset, immutable once built: the restored model, the id maps, each user's
// train items, the item similarity for "because you interacted with", and the per-user environment. Requests hold
// a reference for their whole life, so a swap to a newer version never changes a request half-way.
import type { ArtifactManifest, Explanation, ItemSimilarity, RecDataset, RestoredModel, SimilarItem } from '@eior/model';
import { topKIndices, type CsrIndex } from '@eior/model';
import { badInput, notFound } from '../errors';

/** How deep a user's ranking goes: `after` cursors may page through this many items. */
export const RANKING_DEPTH = 1_000;

/** Rankings are first selected this deep (the usual first pages), and to RANKING_DEPTH only when a page needs it. */
const SHALLOW_DEPTH = 100;

/** Users ranked per product when precomputing first pages, and the most users a model precomputes for. */
const PRECOMPUTE_BATCH = 16;
const PRECOMPUTE_MAX_USERS = 200_000;

/** Rankings kept per model (most recently used users), so paging does not rescore the catalogue. */
const RANKING_CACHE_USERS = 2_048;

export interface ServingParts {
  dataset: string;
  manifest: ArtifactManifest;
  restored: RestoredModel;
  userIds: readonly string[];
  itemIds: readonly string[];
  /** Each user's train items. */
  trainItems: CsrIndex;
  similarity: ItemSimilarity;
  /** userEnvironment[u]: the environment the invariance stage put user u in, -1 for none; absent for one-branch models. */
  userEnvironment: Float32Array | null;
  /** The training data the model was restored on (drift compares its parts). */
  data: RecDataset & { trainTimestamps?: Float64Array };
  /** The feature mask m (InvRL, variant-only, EIOR), null for the other kinds. */
  mask: Float32Array | null;
  /** The environment of each train edge, as the invariance stage left it; null for models without environments. */
  edgeEnvironment: Float32Array | null;
  /** Seconds the load took (read, export, restore). */
  loadSeconds: number;
  /**
   * For a version trained before appends: the users and items that joined after it (it cannot rank or rate them)
   * and how many appends it predates; null for a version trained on the data now in the graph.
   */
  joinedLater?: { users: ReadonlySet<string>; items: ReadonlySet<string>; appends: number } | null;
  /** Milliseconds of each synchronous step of the load (restore, similarity, ...), each run in one turn of the event loop. */
  loadSteps?: Readonly<Record<string, number>>;
}

export interface RankedItem {
  rank: number;
  item: number;
  rating: number;
}

export class ServingModel {
  readonly dataset: string;
  readonly version: string;
  readonly kind: string;
  readonly manifest: ArtifactManifest;
  readonly loadSeconds: number;
  readonly loadSteps: Readonly<Record<string, number>>;
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private readonly rankings = new Map<string, { items: Int32Array; ratings: Float32Array; total: number }>();
  /** Every user's first pages (top SHALLOW_DEPTH, training items excluded), filled in the background after loading. */
  private firstPages: { items: Int32Array; ratings: Float32Array; totals: Int32Array; filled: Uint8Array } | null = null;
  private disposed = false;

  constructor(private readonly parts: ServingParts) {
    this.dataset = parts.dataset;
    this.manifest = parts.manifest;
    this.version = parts.manifest.version;
    this.kind = parts.manifest.model;
    this.loadSeconds = parts.loadSeconds;
    this.loadSteps = parts.loadSteps ?? {};
    parts.userIds.forEach((id, u) => this.userIndex.set(id, u));
    parts.itemIds.forEach((id, i) => this.itemIndex.set(id, i));
  }

  get data(): ServingParts['data'] {
    return this.parts.data;
  }

  get mask(): Float32Array | null {
    return this.parts.mask;
  }

  get edgeEnvironment(): Float32Array | null {
    return this.parts.edgeEnvironment;
  }

  /** True for the kinds whose invariance stage put users in environments (InvRL, variant-only, EIOR). */
  get hasEnvironments(): boolean {
    return this.parts.userEnvironment !== null;
  }

  /** Every user's id (its token in the dataset's files), by index. */
  get userIds(): readonly string[] {
    return this.parts.userIds;
  }

  /** Every item's id, by index. */
  get itemIds(): readonly string[] {
    return this.parts.itemIds;
  }

  /** The model's explanation of a pair without "because you watched" (cheap: used for α_I over many pairs). */
  weigh(u: number, i: number): Explanation {
    this.assertUsable();
    return this.parts.restored.explain(u, i);
  }

  get numUsers(): number {
    return this.parts.userIds.length;
  }

  get numItems(): number {
    return this.parts.itemIds.length;
  }

  userIdx(id: string): number {
    const u = this.userIndex.get(id);
    if (u === undefined && this.parts.joinedLater?.users.has(id)) throw notFound(this.joinedAfter('user', id)!, id);
    if (u === undefined) throw notFound(`user ${JSON.stringify(id)} is not in dataset '${this.dataset}' (it has ${this.numUsers} users)`, id);
    return u;
  }

  itemIdx(id: string): number {
    const i = this.itemIndex.get(id);
    if (i === undefined && this.parts.joinedLater?.items.has(id)) throw notFound(this.joinedAfter('item', id)!, id);
    if (i === undefined) throw notFound(`item ${JSON.stringify(id)} is not in dataset '${this.dataset}' (it has ${this.numItems} items)`, id);
    return i;
  }

  /** True when item i was ingested without the modality (the export's `present` mask rides along in the data). */
  isAbsent(i: number, modality: string): boolean {
    const m = this.parts.data.features.find((f) => f.modality === modality) as { present?: Uint8Array } | undefined;
    return m?.present !== undefined && !m.present[i];
  }

  /** The appends this version predates (0 when it was trained on the data now in the graph). */
  get predatesAppends(): number {
    return this.parts.joinedLater?.appends ?? 0;
  }

  /** For a user or item that joined after this version was trained: why it cannot serve them; else null. */
  joinedAfter(what: 'user' | 'item', id: string): string | null {
    if (!this.parts.joinedLater?.[what === 'user' ? 'users' : 'items'].has(id)) return null;
    return `${what} ${JSON.stringify(id)} joined dataset '${this.dataset}' after ${this.kind} ${this.version} was trained (it predates ${this.predatesAppends} append${this.predatesAppends === 1 ? '' : 's'}): ` +
      `train a new version with \`eior train --dataset ${this.dataset} --model ${this.kind}\` to serve it`;
  }

  userId(u: number): string {
    return this.parts.userIds[u];
  }

  itemId(i: number): string {
    return this.parts.itemIds[i];
  }

  trainItemsOf(u: number): Int32Array {
    const { offsets, cols } = this.parts.trainItems;
    return cols.subarray(offsets[u], offsets[u + 1]);
  }

  environmentOf(u: number): number | null {
    const env = this.parts.userEnvironment?.[u];
    return env === undefined || env < 0 ? null : env;
  }

  /** Items ranked `offset + 1 ..` for the user, best first, at most `count` (within RANKING_DEPTH). */
  recommend(u: number, offset: number, count: number, excludeInteracted: boolean): { items: RankedItem[]; total: number } {
    if (offset < 0 || offset > RANKING_DEPTH) throw badInput(`offset ${offset} is out of range: expected 0 to ${RANKING_DEPTH}`);
    const ranking = this.ranking(u, excludeInteracted, offset + count);
    const end = Math.min(ranking.items.length, offset + count);
    const items: RankedItem[] = [];
    for (let k = offset; k < end; k++) items.push({ rank: k + 1, item: ranking.items[k], rating: ranking.ratings[k] });
    return { items, total: ranking.total };
  }

  /** The user's own training items most similar to item i. */
  becauseYouWatched(u: number, i: number, count: number): SimilarItem[] {
    return count > 0 ? this.parts.similarity.becauseYouWatched(u, i, count) : [];
  }

  similarItems(i: number, count: number): SimilarItem[] {
    return this.parts.similarity.similarItems(i, count);
  }

  /** Ratings of the whole catalogue for some users, [users.length * numItems] (drift and overlap use it). */
  scoreAll(users: Int32Array): Float32Array {
    this.assertUsable();
    return this.parts.restored.model.scoreAllItems(users);
  }

  scorePairs(users: Int32Array, items: Int32Array): Float32Array {
    this.assertUsable();
    return this.parts.restored.model.scorePairs(users, items);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rankings.clear();
    this.parts.restored.model.dispose();
  }

  /**
   * The user's ranking, deep enough for `needed` items: the first pages only select the top SHALLOW_DEPTH (one pass
   * with a small sorted buffer), deeper pages the top RANKING_DEPTH.
   */
  private ranking(u: number, excludeInteracted: boolean, needed: number): { items: Int32Array; ratings: Float32Array; total: number } {
    const depth = needed <= SHALLOW_DEPTH ? SHALLOW_DEPTH : RANKING_DEPTH;
    const pages = this.firstPages;
    if (pages && excludeInteracted && depth === SHALLOW_DEPTH && pages.filled[u]) {
      const n = Math.min(SHALLOW_DEPTH, pages.totals[u]);
      const at = u * SHALLOW_DEPTH;
      return { items: pages.items.subarray(at, at + n), ratings: pages.ratings.subarray(at, at + n), total: pages.totals[u] };
    }
    const key = `${u}:${excludeInteracted ? 1 : 0}:${depth}`;
    const cached = this.rankings.get(key);
    if (cached) {
      this.rankings.delete(key); // re-insert: Map order is the LRU order
      this.rankings.set(key, cached);
      return cached;
    }
    const scores = this.scoreAll(Int32Array.of(u));
    const { order, total } = this.rankRow(u, scores, 0, depth, excludeInteracted);
    const ranking = { items: order, ratings: Float32Array.from(order, (i) => scores[i]), total };
    this.rankings.set(key, ranking);
    if (this.rankings.size > RANKING_CACHE_USERS) this.rankings.delete(this.rankings.keys().next().value as string);
    return ranking;
  }

  /**
   * Ranks every user's first pages ahead of requests (users in batches of 16, one product each), giving way to
   * requests between batches through `step`; the usual request (the first pages, training items excluded) then
   * skips scoring. Skipped above PRECOMPUTE_MAX_USERS users (the table is users x 100 x 8 bytes).
   */
  async precomputeFirstPages(step: () => Promise<void>): Promise<number> {
    const { numUsers: U, numItems: N } = this;
    if (U > PRECOMPUTE_MAX_USERS || this.firstPages) return 0;
    const pages = { items: new Int32Array(U * SHALLOW_DEPTH), ratings: new Float32Array(U * SHALLOW_DEPTH), totals: new Int32Array(U), filled: new Uint8Array(U) };
    this.firstPages = pages;
    for (let from = 0; from < U && !this.disposed; from += PRECOMPUTE_BATCH) {
      const users = Int32Array.from({ length: Math.min(PRECOMPUTE_BATCH, U - from) }, (_, k) => from + k);
      const scores = this.scoreAll(users); // [users, N]
      users.forEach((u, k) => {
        const { order, total } = this.rankRow(u, scores, k * N, SHALLOW_DEPTH, true);
        pages.items.set(order, u * SHALLOW_DEPTH);
        order.forEach((i, r) => (pages.ratings[u * SHALLOW_DEPTH + r] = scores[k * N + i]));
        pages.totals[u] = total;
        pages.filled[u] = 1;
      });
      await step();
    }
    return U;
  }

  /**
   * The top `depth` of user u's scores at scores[offset, offset + numItems) (training items set to −∞ first when
   * excluded): item indexes best first, and how deep the user's whole ranking goes.
   */
  private rankRow(u: number, scores: Float32Array, offset: number, depth: number, excludeInteracted: boolean): { order: Int32Array; total: number } {
    const own = excludeInteracted ? this.trainItemsOf(u) : new Int32Array(0);
    for (const i of own) scores[offset + i] = -Infinity;
    const total = Math.min(RANKING_DEPTH, this.numItems - own.length);
    return { order: topKIndices(scores, offset, this.numItems, Math.min(depth, total)), total };
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error(`model ${this.version} of '${this.dataset}' was disposed while in use`);
  }
}
