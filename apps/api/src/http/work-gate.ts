// A per-process bound on the GraphQL operations that are not answered from memory (graph reads, reports,
// comparisons with other versions, writes): at most `limit` run at once, the next `maxQueued` wait in arrival order,
// and one more gets 429 TOO_MANY_REQUESTS with the seconds to wait. Operations answered from the served model
// (recommendations, rating, item) do not pass through it (http/priority.ts), so however many expensive requests
// arrive, a recommendations request shares the process with at most `limit` of them instead of queueing behind all.
import { ApiError } from '../errors';

export interface WorkGateLimits {
  /** Gated operations running at once in one process. */
  limit: number;
  /** Gated operations waiting for a place; one more is refused. */
  maxQueued: number;
}

/** 4 at once: enough to keep Neo4j's and the process's work overlapped on 2 cores, few enough to bound it. */
export const DEFAULT_WORK_GATE_LIMITS: WorkGateLimits = { limit: 4, maxQueued: 16 };

/** Weight of the newest duration in the running mean that Retry-After is computed from. */
const MEAN_WEIGHT = 0.2;

export class WorkGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** Running mean of how long an operation holds its place, ms (100 ms until one is measured). */
  private meanHeldMs = 100;

  constructor(
    private readonly limits: WorkGateLimits = DEFAULT_WORK_GATE_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Operations running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /**
   * Waits for a place (at once when one is free) and resolves with the function that gives it back; throws
   * TOO_MANY_REQUESTS, without queueing, when `maxQueued` are already waiting. `what` names the operation.
   */
  async enter(what: string): Promise<() => void> {
    if (this.running >= this.limits.limit) {
      if (this.queue.length >= this.limits.maxQueued) {
        const seconds = this.retryAfterSeconds();
        throw new ApiError('TOO_MANY_REQUESTS', `${what}: this server process is running ${this.running} such operations with ${this.queue.length} waiting; retry in ${seconds} s (recommendations, rating and item are not limited)`, { retryAfterSeconds: seconds });
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    const entered = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.meanHeldMs += MEAN_WEIGHT * (this.now() - entered - this.meanHeldMs);
      const next = this.queue.shift();
      if (next) next(); // the place passes to the next in line: `running` stays
      else this.running--;
    };
  }

  /** Seconds until a place is likely free for a newcomer: the queue ahead and one more, `limit` at a time. */
  private retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.queue.length + 1) * this.meanHeldMs) / this.limits.limit / 1000));
  }
}
