// Statistics of the train graph that UltraGCN's losses need (METHOD.md section 1, official get_ii_constraint_mat):
// degrees, β_u = sqrt(d_u + 1) / d_u, β_i = 1 / sqrt(d_i + 1), and the top-K item-item neighbours with
// ω_ij = (G_ij / g_i) · sqrt((g_i + 1) / (g_j + 1)), G = RᵀR, g_i = Σ_j G_ij, computed sparsely.
import { buildUserItemIndex, rowDegrees, transposeCsr, validateEdgeList, type CsrIndex } from './interactions';
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
  /** K, the neighbours kept per item. */
  neighborNum: number;
  /** S(i): item i's neighbours, row-major [numItems, K]; padded with i itself at weight 0. */
  neighbors: Int32Array;
  /** ω_ij for each entry of `neighbors`, [numItems, K], descending within a row. */
  neighborWeights: Float32Array;
}

export interface GraphStatsOptions {
  /** K */
  iiNeighborNum: number;
  /** Drop G_ii before computing g and choosing S(i) (official `ii_diagonal_zero`, default false). */
  iiDiagonalZero: boolean;
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

/** Degrees, β and the item-item neighbours of a train edge list. */
export function computeGraphStats(numUsers: number, numItems: number, train: EdgeList, options: GraphStatsOptions): GraphStats {
  validateEdgeList('train', train, numUsers, numItems);
  const userItems = buildUserItemIndex(numUsers, numItems, train);
  const itemUsers = transposeCsr(userItems);
  const userDegree = rowDegrees(userItems);
  const itemDegree = rowDegrees(itemUsers);
  const { betaUser, betaItem } = computeBetas(userDegree, itemDegree);
  const { neighbors, neighborWeights } = computeItemNeighbors(userItems, itemUsers, options);
  return {
    numUsers,
    numItems,
    userItems,
    userDegree,
    itemDegree,
    betaUser,
    betaItem,
    neighborNum: options.iiNeighborNum,
    neighbors,
    neighborWeights,
  };
}
