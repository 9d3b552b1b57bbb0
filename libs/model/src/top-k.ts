// Top-K selection for full-ranking evaluation (docs/method.md#8-evaluation): one pass with a K-slot sorted buffer instead
// of sorting the whole catalogue, O(n + insertions · K).

/**
 * Indices (relative to `offset`) of the k largest values of scores[offset, offset + length), best first.
 * Ties keep the lower index first; NaN counts as −Infinity.
 */
export function topKIndices(scores: Float32Array, offset: number, length: number, k: number): Int32Array {
  const size = Math.max(0, Math.min(k, length));
  const idx = new Int32Array(size);
  const vals = new Float64Array(size);
  let filled = 0;
  for (let e = 0; e < length; e++) {
    const raw = scores[offset + e];
    const v = raw === raw ? raw : -Infinity;
    let pos: number;
    if (filled < size) {
      pos = filled++;
    } else if (size > 0 && v > vals[size - 1]) {
      pos = size - 1; // the last entry drops out
    } else {
      continue;
    }
    // strict comparison: an earlier (lower) index with an equal value stays ahead
    while (pos > 0 && vals[pos - 1] < v) {
      vals[pos] = vals[pos - 1];
      idx[pos] = idx[pos - 1];
      pos--;
    }
    vals[pos] = v;
    idx[pos] = e;
  }
  return idx;
}
