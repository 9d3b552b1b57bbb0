// Priority inside one event loop: while a priority operation (recommendations, rating or item of the served model,
// http/priority.ts) is in flight, work that can wait does: gated GraphQL operations before they execute, background
// builds (drift reports, first pages, top-K overlap) between their slices, loads of other versions between their
// steps. Each waiter first yields one turn of the event loop, so requests that arrived meanwhile are read (and a
// priority one among them starts) before it, then waits for the lane to be clear, at most `maxWaitMs` so that a
// steady stream of priority requests cannot starve the rest. Synchronous work that has started is not interrupted:
// the lane only decides what starts next.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long work that can wait is held back at most per wait, ms. */
export const MAX_GIVE_WAY_MS = 50;

export class PriorityLane {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly maxWaitMs = MAX_GIVE_WAY_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Priority operations in flight now. */
  get busy(): number {
    return this.inFlight;
  }

  /** A priority operation starts; the function it returns ends it (a second call does nothing). */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /**
   * Gives way to priority work: one turn of the event loop, then, while priority operations are in flight, waits
   * until none is or `maxWaitMs` from the call have passed. Resolves with the ms it held the caller back.
   */
  async giveWay(): Promise<number> {
    const started = this.now();
    await nextTurn();
    while (this.inFlight > 0) {
      const left = this.maxWaitMs - (this.now() - started);
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          const k = waiters.indexOf(done);
          if (k >= 0) waiters.splice(k, 1);
          resolve();
        }
        waiters.push(done);
      });
    }
    return this.now() - started;
  }
}

/**
 * The lane of this thread's event loop. One per thread because the event loop is: every API in the process shares
 * it (the tests start several), and a worker thread (the BI store) has its own module instance and so its own lane.
 */
export const priorityLane = new PriorityLane();
