// Compressed sparse rows of an edge list: each user's items, sorted and without duplicates (the binary
// matrix R of UltraGCN). Used for degrees, the item-item graph, negative sampling and evaluation masks.
import { ModelError } from './errors';
import type { EdgeList } from './types';

/** Rows 0..numRows-1; the columns of row r are cols[offsets[r] .. offsets[r+1]), ascending. */
export interface CsrIndex {
  numRows: number;
  numCols: number;
  offsets: Int32Array; // [numRows + 1]
  cols: Int32Array; // [nnz]
}

/** Throws a BAD_USER_INPUT error when the arrays differ in length or an index is out of range. */
export function validateEdgeList(name: string, edges: EdgeList, numUsers: number, numItems: number): void {
  if (edges.users.length !== edges.items.length) {
    throw new ModelError('BAD_USER_INPUT', `${name}: users has ${edges.users.length} entries but items has ${edges.items.length}; expected the same length`);
  }
  for (let e = 0; e < edges.users.length; e++) {
    const u = edges.users[e];
    const i = edges.items[e];
    if (u < 0 || u >= numUsers) throw new ModelError('BAD_USER_INPUT', `${name}: edge ${e} has user ${u}; expected 0..${numUsers - 1}`);
    if (i < 0 || i >= numItems) throw new ModelError('BAD_USER_INPUT', `${name}: edge ${e} has item ${i}; expected 0..${numItems - 1}`);
  }
}

/** CSR with rows = `rows[e]` and columns = `cols[e]`, duplicates removed. */
export function buildCsr(numRows: number, numCols: number, rows: Int32Array, cols: Int32Array): CsrIndex {
  const counts = new Int32Array(numRows + 1);
  for (let e = 0; e < rows.length; e++) counts[rows[e] + 1]++;
  for (let r = 0; r < numRows; r++) counts[r + 1] += counts[r];
  const fill = counts.slice(0, numRows);
  const raw = new Int32Array(rows.length);
  for (let e = 0; e < rows.length; e++) raw[fill[rows[e]]++] = cols[e];
  // sort each row and drop repeated edges
  const offsets = new Int32Array(numRows + 1);
  let nnz = 0;
  for (let r = 0; r < numRows; r++) {
    const row = raw.subarray(counts[r], counts[r + 1]).sort();
    for (let k = 0; k < row.length; k++) {
      if (k === 0 || row[k] !== row[k - 1]) raw[nnz++] = row[k];
    }
    offsets[r + 1] = nnz;
  }
  return { numRows, numCols, offsets, cols: raw.slice(0, nnz) };
}

/** Each user's distinct items. */
export function buildUserItemIndex(numUsers: number, numItems: number, edges: EdgeList): CsrIndex {
  return buildCsr(numUsers, numItems, edges.users, edges.items);
}

/** Each item's distinct users (Rᵀ). */
export function transposeCsr(index: CsrIndex): CsrIndex {
  const rows = new Int32Array(index.cols.length);
  for (let r = 0; r < index.numRows; r++) rows.fill(r, index.offsets[r], index.offsets[r + 1]);
  return buildCsr(index.numCols, index.numRows, index.cols, rows);
}

/** Number of distinct columns per row. */
export function rowDegrees(index: CsrIndex): Int32Array {
  const out = new Int32Array(index.numRows);
  for (let r = 0; r < index.numRows; r++) out[r] = index.offsets[r + 1] - index.offsets[r];
  return out;
}

/** Whether row r holds column c (binary search in the sorted row). */
export function csrHas(index: CsrIndex, r: number, c: number): boolean {
  let lo = index.offsets[r];
  let hi = index.offsets[r + 1] - 1;
  const cols = index.cols;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = cols[mid];
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The columns of row r (a view, not a copy). */
export function csrRow(index: CsrIndex, r: number): Int32Array {
  return index.cols.subarray(index.offsets[r], index.offsets[r + 1]);
}
