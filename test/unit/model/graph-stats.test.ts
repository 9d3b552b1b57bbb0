import { buildItemFeatures, computeBetas, computeContentNeighbors, computeGraphStats, selectBackend, type ItemFeatures } from '@eior/model';
import { edges, tinyDataset } from './fixtures';

// Train graph of the tiny dataset: u0 {0, 1, 3}, u1 {1, 2}, u2 {0, 1, 4}, u3 {2, 5}.
// Item-item co-occurrence G = RᵀR: row 0 = [2, 2, 0, 1, 1, 0] (g_0 = 6), row 1 = [2, 3, 1, 1, 1, 0] (g_1 = 8),
// row 5 = [0, 0, 1, 0, 0, 1] (g_5 = 2); g = [6, 8, 4, 3, 3, 2].
const data = tinyDataset();

describe('computeGraphStats', () => {
  const stats = computeGraphStats(data.numUsers, data.numItems, data.train, { iiNeighborNum: 2, iiDiagonalZero: false });

  it('counts distinct train neighbours of users and items', () => {
    expect(Array.from(stats.userDegree)).toEqual([3, 2, 3, 2]);
    expect(Array.from(stats.itemDegree)).toEqual([2, 3, 2, 1, 1, 1]);
  });

  it('computes β_u = sqrt(d_u + 1) / d_u and β_i = 1 / sqrt(d_i + 1)', () => {
    expect(stats.betaUser[0]).toBeCloseTo(2 / 3, 6); // sqrt(4) / 3
    expect(stats.betaUser[1]).toBeCloseTo(Math.sqrt(3) / 2, 6);
    expect(stats.betaItem[1]).toBeCloseTo(0.5, 6); // 1 / sqrt(4)
    expect(stats.betaItem[3]).toBeCloseTo(1 / Math.SQRT2, 6);
  });

  it('keeps the top-K neighbours by ω_ij = (G_ij / g_i) sqrt((g_i + 1) / (g_j + 1)), the item itself included', () => {
    // item 0: ω_00 = 2/6, ω_01 = (2/6) sqrt(7/9), ω_03 = ω_04 = (1/6) sqrt(7/4)
    expect(Array.from(stats.neighbors.subarray(0, 2))).toEqual([0, 1]);
    expect(stats.neighborWeights[0]).toBeCloseTo(1 / 3, 6);
    expect(stats.neighborWeights[1]).toBeCloseTo((2 / 6) * Math.sqrt(7 / 9), 6);
    // item 1: ω_11 = 3/8, ω_10 = (2/8) sqrt(9/7)
    expect(Array.from(stats.neighbors.subarray(2, 4))).toEqual([1, 0]);
    expect(stats.neighborWeights[3]).toBeCloseTo(0.25 * Math.sqrt(9 / 7), 6);
    // item 5: ω_55 = 1/2, ω_52 = (1/2) sqrt(3/5)
    expect(Array.from(stats.neighbors.subarray(10, 12))).toEqual([5, 2]);
    expect(stats.neighborWeights[11]).toBeCloseTo(0.5 * Math.sqrt(3 / 5), 6);
  });

  it('drops the diagonal when asked, breaks ties by the lower index and pads short rows with weight 0', () => {
    const zero = computeGraphStats(data.numUsers, data.numItems, data.train, { iiNeighborNum: 2, iiDiagonalZero: true });
    // without G_ii: g = [4, 5, 2, 2, 2, 1]; item 0: ω_01 = (2/4) sqrt(5/6), ω_03 = ω_04 = (1/4) sqrt(5/3)
    expect(Array.from(zero.neighbors.subarray(0, 2))).toEqual([1, 3]);
    expect(zero.neighborWeights[0]).toBeCloseTo(0.5 * Math.sqrt(5 / 6), 6);
    expect(zero.neighborWeights[1]).toBeCloseTo(0.25 * Math.sqrt(5 / 3), 6);
    // item 5 has one neighbour: ω_52 = (1/1) sqrt(2/3); the second slot is itself at weight 0
    expect(Array.from(zero.neighbors.subarray(10, 12))).toEqual([2, 5]);
    expect(zero.neighborWeights[10]).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(zero.neighborWeights[11]).toBe(0);
  });

  it('counts a repeated train edge once, as the binary matrix R does', () => {
    const doubled = computeGraphStats(2, 2, edges([[0, 0], [0, 0], [1, 0], [0, 1]]), { iiNeighborNum: 1, iiDiagonalZero: false });
    expect(Array.from(doubled.userDegree)).toEqual([2, 1]);
    expect(Array.from(doubled.itemDegree)).toEqual([2, 1]);
  });

  it('gives an item without train users no neighbour weight', () => {
    const cold = computeGraphStats(1, 3, edges([[0, 0], [0, 1]]), { iiNeighborNum: 2, iiDiagonalZero: false });
    expect(Array.from(cold.neighborWeights.subarray(4, 6))).toEqual([0, 0]);
    expect(Array.from(cold.neighbors.subarray(4, 6))).toEqual([2, 2]);
  });

  it('refuses an edge outside the index range', () => {
    expect(() => computeGraphStats(2, 2, edges([[2, 0]]), { iiNeighborNum: 1, iiDiagonalZero: false })).toThrow(/user 2; expected 0..1/);
  });
});

describe('content neighbours [ours]', () => {
  beforeAll(async () => {
    await selectBackend({ name: 'cpu' });
  });

  /** x with the given rows (already the model's x: no normalisation applied here). */
  const features = (rows: number[][]): ItemFeatures => ({ numItems: rows.length, width: rows[0].length, data: Float32Array.from(rows.flat()), blocks: [{ modality: 'visual', offset: 0, width: rows[0].length }] });

  it('keeps the K_c items closest by cosine, never the item itself, with `weight` shared by similarity', () => {
    // cos(0,1) = 0.8, cos(0,2) = 0.6, cos(0,3) = 0 (orthogonal), cos(0,4) = −1
    const x = features([[1, 0], [0.8, 0.6], [3, 4], [0, 2], [-1, 0]]);
    const { neighbors, neighborWeights } = computeContentNeighbors(x, 2, 0.5);
    expect(Array.from(neighbors.subarray(0, 2))).toEqual([1, 2]);
    expect(neighborWeights[0]).toBeCloseTo((0.5 * 0.8) / 1.4, 6);
    expect(neighborWeights[1]).toBeCloseTo((0.5 * 0.6) / 1.4, 6);
  });

  it('pads with the item itself at weight 0 where fewer than K_c similarities are positive, and for an item without features', () => {
    const x = features([[1, 0], [-1, 0], [0, 0]]);
    const { neighbors, neighborWeights } = computeContentNeighbors(x, 2, 1);
    expect(Array.from(neighbors.subarray(0, 2))).toEqual([0, 0]); // its only other items point away or are empty
    expect(Array.from(neighborWeights.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(neighbors.subarray(4, 6))).toEqual([2, 2]);
    expect(Array.from(neighborWeights.subarray(4, 6))).toEqual([0, 0]);
  });

  it('follows the co-occurrence neighbours of every item with its content neighbours, and only when features are given', () => {
    const x = buildItemFeatures(data.numItems, data.features);
    const options = { iiNeighborNum: 2, iiDiagonalZero: false, iiContentNeighborNum: 3, iiContentWeight: 0.1 };
    const plain = computeGraphStats(data.numUsers, data.numItems, data.train, { iiNeighborNum: 2, iiDiagonalZero: false });
    const withContent = computeGraphStats(data.numUsers, data.numItems, data.train, options, x);
    const content = computeContentNeighbors(x, 3, 0.1);
    expect(withContent.neighborNum).toBe(5);
    for (let i = 0; i < data.numItems; i++) {
      expect(Array.from(withContent.neighbors.subarray(i * 5, i * 5 + 5))).toEqual([...plain.neighbors.subarray(i * 2, i * 2 + 2), ...content.neighbors.subarray(i * 3, i * 3 + 3)]);
      expect(Array.from(withContent.neighborWeights.subarray(i * 5, i * 5 + 5))).toEqual([...plain.neighborWeights.subarray(i * 2, i * 2 + 2), ...content.neighborWeights.subarray(i * 3, i * 3 + 3)]);
      const total = content.neighborWeights.subarray(i * 3, i * 3 + 3).reduce((a, b) => a + b, 0);
      if (total > 0) expect(total).toBeCloseTo(0.1, 6);
    }
    expect(computeGraphStats(data.numUsers, data.numItems, data.train, options).neighborNum).toBe(2);
  });
});

describe('computeBetas', () => {
  it('gives a user without train edges β_u = 0 instead of infinity', () => {
    const { betaUser, betaItem } = computeBetas(Int32Array.from([0, 1]), Int32Array.from([0]));
    expect(Array.from(betaUser)).toEqual([0, Math.fround(Math.SQRT2)]);
    expect(betaItem[0]).toBe(1);
  });
});
