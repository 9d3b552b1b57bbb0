// Maps user and item tokens (integers or strings) to dense indexes 0..n-1, deterministically:
// numeric order when every token is a plain non-negative integer (so MMRec's 0..n-1 ids keep their
// value), code-unit order otherwise. The order never depends on the order of lines in the file.

const PLAIN_INTEGER = /^(0|[1-9]\d{0,14})$/;

export function isPlainInteger(token: string): boolean {
  return PLAIN_INTEGER.test(token);
}

/** For tokens in first-appearance order, returns dense[firstAppearanceId] = dense index. */
export function denseIndexes(tokens: readonly string[]): Int32Array {
  const order = tokens.map((_, i) => i);
  if (tokens.every(isPlainInteger)) {
    const values = tokens.map(Number);
    order.sort((a, b) => values[a] - values[b]);
  } else {
    order.sort((a, b) => (tokens[a] < tokens[b] ? -1 : tokens[a] > tokens[b] ? 1 : 0));
  }
  const dense = new Int32Array(tokens.length);
  order.forEach((tempId, idx) => {
    dense[tempId] = idx;
  });
  return dense;
}

/** Tokens listed by dense index: the inverse of denseIndexes. */
export function tokensByIndex(tokens: readonly string[], dense: Int32Array): string[] {
  const out = new Array<string>(tokens.length);
  for (let t = 0; t < tokens.length; t++) out[dense[t]] = tokens[t];
  return out;
}
