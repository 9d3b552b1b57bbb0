// Long computations on the serving thread (a drift report, precomputed rankings) give way to requests:
// `slicer()` returns a function to await between steps, which yields to the event loop once its slice is used up,
// or at once while a priority request (recommendations of the served model) is in flight, and then waits for the
// priority lane to clear (priority-lane.ts).
import { priorityLane, type PriorityLane } from './priority-lane';

/** Work this long between yields, ms: short enough that a request waits at most about that much. */
export const SLICE_MS = 5;

export function slicer(sliceMs = SLICE_MS, lane: PriorityLane = priorityLane): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < sliceMs && lane.busy === 0) return;
    await lane.giveWay();
    start = performance.now();
  };
}
