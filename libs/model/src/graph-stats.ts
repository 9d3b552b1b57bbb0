// Statistics of the train graph that UltraGCN's losses need (docs/method.md#1-backbone, official get_ii_constraint_mat):
// degrees, β_u = sqrt(d_u + 1) / d_u, β_i = 1 / sqrt(d_i + 1), and the top-K item-item neighbours with
// ω_ij = (G_ij / g_i) · sqrt((g_i + 1) / (g_j + 1)), G = RᵀR, g_i = Σ_j G_ij, computed sparsely.
import * as tf from '@tensorflow/tfjs';
import type { ItemFeatures } from './features';
import { buildUserItemIndex, rowDegrees, transposeCsr, validateEdgeList, type CsrIndex } from './interactions';
import { matMulPlain } from './sparse-ops';
import { topKIndices } from './top-k';
import type { EdgeList } from './types';

export interface GraphStats {
  numUsers: number;
  numItems: number;
  /** Each user's distinct train items. */
  userItems: CsrIndex;
  userDegree: Int32Array; // [numUsers] d_u
  itemDegree: Int32Array; // [numItems] d_i
  /** β_u = sqrt(d_u + 1) / d_u; 0 for a user without train edges (who never appears in a batch). */
  betaUser: Float32Array; // [numUsers]
  /** β_i = 1 / sqrt(d_i + 1). */
  betaItem: Float32Array; // [numItems]
  /** K + K_c, the neighbours kept per item. */
  neighborNum: number;
  /**
   * S(i): item i's neighbours, row-major [numItems, K + K_c]: K by co-occurrence (padded with i itself at weight 0),
   * then K_c by content when asked for.
   */
  neighbors: Int32Array;
  /** ω_ij for each entry of `neighbors`, [numItems, K + K_c], descending within each of the two parts. */
  neighborWeights: Float32Array;
}

export interface GraphStatsOptions {
  /** K */
  iiNeighborNum: number;
  /** Drop G_ii before computing g and choosing S(i) (official `ii_diagonal_zero`, default false). */
  iiDiagonalZero: boolean;
  /** K_c: content neighbours per item, added when item features are given; 0 or absent = none. */
  iiContentNeighborNum?: number;
  /** Total ω of an item's content neighbours. */
  iiContentWeight?: number;
}

/** β_u and β_i from degrees (UltraGCN Eq. 5 weights as in the official code). */
export function computeBetas(userDegree: Int32Array, itemDegree: Int32Array): { betaUser: Float32Array; betaItem: Float32Array } {
  const betaUser = new Float32Array(userDegree.length);
  for (let u = 0; u < userDegree.length; u++) {
    const d = userDegree[u];
    betaUser[u] = d > 0 ? Math.sqrt(d + 1) / d : 0;
  }
  const betaItem = new Float32Array(itemDegree.length);
  for (let i = 0; i < itemDegree.length; i++) betaItem[i] = 1 / Math.sqrt(itemDegree[i] + 1);
  return { betaUser, betaItem };
}

/**
 * Top-K neighbours of every item in G = RᵀR by ω, without a dense items x items matrix: row i of G is
 * accumulated over the items of i's users (cost Σ_u d_u²). Ties keep the lower item index.
 */
export function computeItemNeighbors(
  userItems: CsrIndex,
  itemUsers: CsrIndex,
  options: GraphStatsOptions,
): { neighbors: Int32Array; neighborWeights: Float32Array } {
  const numItems = itemUsers.numRows;
  const k = options.iiNeighborNum;
  const userDegree = rowDegrees(userItems);
  // g_i = Σ_j G_ij = Σ_(u ∋ i) d_u, minus G_ii = d_i when the diagonal is dropped
  const g = new Float64Array(numItems);
  for (let i = 0; i < numItems; i++) {
    let sum = 0;
    for (let p = itemUsers.offsets[i]; p < itemUsers.offsets[i + 1]; p++) sum += userDegree[itemUsers.cols[p]];
    if (options.iiDiagonalZero) sum -= itemUsers.offsets[i + 1] - itemUsers.offsets[i];
    g[i] = sum;
  }
  const neighbors = new Int32Array(numItems * k);
  const neighborWeights = new Float32Array(numItems * k);
  const counts = new Float64Array(numItems); // row i of G, sparse accumulator
  const touched = new Int32Array(numItems);
  const bestItem = new Int32Array(k);
  const bestWeight = new Float64Array(k);
  for (let i = 0; i < numItems; i++) {
    let numTouched = 0;
    for (let p = itemUsers.offsets[i]; p < itemUsers.offsets[i + 1]; p++) {
      const u = itemUsers.cols[p];
      for (let q = userItems.offsets[u]; q < userItems.offsets[u + 1]; q++) {
        const j = userItems.cols[q];
        if (counts[j] === 0) touched[numTouched++] = j;
        counts[j] += 1;
      }
    }
    bestItem.fill(i);
    bestWeight.fill(0);
    let filled = 0;
    const scale = g[i] > 0 ? Math.sqrt(g[i] + 1) / g[i] : 0;
    for (let t = 0; t < numTouched; t++) {
      const j = touched[t];
      const gij = counts[j];
      counts[j] = 0;
      if (options.iiDiagonalZero && j === i) continue;
      const w = scale * gij / Math.sqrt(g[j] + 1); // ω_ij
      if (w <= 0) continue;
      // insert into the descending top-K buffer; equal weights keep the lower item index first
      let pos = filled < k ? filled : k;
      while (pos > 0 && (bestWeight[pos - 1] < w || (bestWeight[pos - 1] === w && bestItem[pos - 1] > j))) pos--;
      if (pos >= k) continue;
      const last = Math.min(filled, k - 1);
      for (let s = last; s > pos; s--) {
        bestWeight[s] = bestWeight[s - 1];
        bestItem[s] = bestItem[s - 1];
      }
      bestWeight[pos] = w;
      bestItem[pos] = j;
      if (filled < k) filled++;
    }
    for (let s = 0; s < k; s++) {
      neighbors[i * k + s] = s < filled ? bestItem[s] : i;
      neighborWeights[i * k + s] = s < filled ? bestWeight[s] : 0;
    }
  }
  return { neighbors, neighborWeights };
}

/** Rows of x per similarity block: [256, numItems] floats at a time. */
const CONTENT_ROWS = 256;

/**
 * The K_c items whose x is closest to x_i by cosine, for every item [ours]: the frozen content graph of LATTICE and
 * FREEDOM, here as extra neighbours of UltraGCN's item-item constraint, so that a user who liked i is pulled
 * towards items that look and sound like i, including items nobody has interacted with yet. Only positive
 * similarities count; the weights of a row are `weight` shared in proportion to the similarities. Items without
 * features, or with fewer than K_c positive neighbours, are padded with themselves at weight 0.
 */
export function computeContentNeighbors(x: ItemFeatures, k: number, weight: number): { neighbors: Int32Array; neighborWeights: Float32Array } {
  const n = x.numItems;
  const neighbors = new Int32Array(n * k);
  const neighborWeights = new Float32Array(n * k);
  const unit = new Float32Array(x.data.length); // rows scaled to unit norm: x's rows have norm √(modalities present)
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let c = 0; c < x.width; c++) sq += x.data[i * x.width + c] ** 2;
    const scale = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let c = 0; c < x.width; c++) unit[i * x.width + c] = x.data[i * x.width + c] * scale;
  }
  const all = tf.tensor2d(unit, [n, x.width]);
  const allT = tf.transpose(all); // once, not per block
  try {
    for (let start = 0; start < n; start += CONTENT_ROWS) {
      const rows = Math.min(CONTENT_ROWS, n - start);
      const sims = tf.tidy(() => matMulPlain(tf.slice(all, [start, 0], [rows, x.width]), allT));
      const values = sims.dataSync() as Float32Array;
      sims.dispose();
      for (let r = 0; r < rows; r++) {
        const i = start + r;
        values[r * n + i] = Number.NEGATIVE_INFINITY; // not its own neighbour
        const top = topKIndices(values, r * n, n, k);
        let total = 0;
        for (let s = 0; s < top.length; s++) total += Math.max(0, values[r * n + top[s]]);
        for (let s = 0; s < k; s++) {
          const sim = s < top.length ? values[r * n + top[s]] : 0;
          const keep = sim > 0 && total > 0;
          neighbors[i * k + s] = keep ? top[s] : i;
          neighborWeights[i * k + s] = keep ? (weight * sim) / total : 0;
        }
      }
    }
  } finally {
    all.dispose();
    allT.dispose();
  }
  return { neighbors, neighborWeights };
}

/** Rows of two neighbour tables side by side: [n, a] and [n, b] into [n, a + b]. */
function concatRows<T extends Int32Array | Float32Array>(left: T, a: number, right: T, b: number, out: T): T {
  const n = left.length / a;
  for (let i = 0; i < n; i++) {
    out.set(left.subarray(i * a, (i + 1) * a), i * (a + b));
    out.set(right.subarray(i * b, (i + 1) * b), i * (a + b) + a);
  }
  return out;
}

/**
 * Degrees, β and the item-item neighbours of a train edge list; with `x` and K_c > 0 each item's co-occurrence
 * neighbours are followed by its K_c content neighbours.
 */
export function computeGraphStats(numUsers: number, numItems: number, train: EdgeList, options: GraphStatsOptions, x?: ItemFeatures): GraphStats {
  validateEdgeList('train', train, numUsers, numItems);
  const userItems = buildUserItemIndex(numUsers, numItems, train);
  const itemUsers = transposeCsr(userItems);
  const userDegree = rowDegrees(userItems);
  const itemDegree = rowDegrees(itemUsers);
  const { betaUser, betaItem } = computeBetas(userDegree, itemDegree);
  const k = options.iiNeighborNum;
  let { neighbors, neighborWeights } = computeItemNeighbors(userItems, itemUsers, options);
  const kc = x ? (options.iiContentNeighborNum ?? 0) : 0;
  if (x && kc > 0) {
    if (x.numItems !== numItems) throw new RangeError(`item features have ${x.numItems} rows; expected one per item, ${numItems}`);
    const content = computeContentNeighbors(x, kc, options.iiContentWeight ?? 0);
    neighbors = concatRows(neighbors, k, content.neighbors, kc, new Int32Array(numItems * (k + kc)));
    neighborWeights = concatRows(neighborWeights, k, content.neighborWeights, kc, new Float32Array(numItems * (k + kc)));
  }
  return {
    numUsers,
    numItems,
    userItems,
    userDegree,
    itemDegree,
    betaUser,
    betaItem,
    neighborNum: k + kc,
    neighbors,
    neighborWeights,
  };
}
