// Long computations on the serving thread (a drift report, precomputed rankings) give way to requests:
// `slicer()` returns a function to await between steps, which yields to the event loop once its slice is used up.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Work this long between yields, ms: short enough that a request waits at most about that much. */
export const SLICE_MS = 5;

export function slicer(sliceMs = SLICE_MS): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < sliceMs) return;
    await nextTurn();
    start = performance.now();
  };
}
