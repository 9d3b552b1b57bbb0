import { computeBetas, computeGraphStats } from '@eior/model';
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

describe('computeBetas', () => {
  it('gives a user without train edges β_u = 0 instead of infinity', () => {
    const { betaUser, betaItem } = computeBetas(Int32Array.from([0, 1]), Int32Array.from([0]));
    expect(Array.from(betaUser)).toEqual([0, Math.fround(Math.SQRT2)]);
    expect(betaItem[0]).toBe(1);
  });
});
