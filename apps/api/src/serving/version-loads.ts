// Loads of model versions other than the served one (for side-by-side comparisons) cost seconds of CPU each, so
// a cheap request must not be able to force many: each client has a small allowance that refills slowly, loads
// run one at a time behind a short queue, and a request that finds no allowance or a full queue gets 429
// TOO_MANY_REQUESTS with the seconds to wait (Retry-After). Versions already loaded are not limited.
import { ApiError } from '../errors';

export interface VersionLoadLimits {
  /** Loads a client may start at once before it must wait (the bucket's size). */
  burst: number;
  /** Seconds for one load of allowance to come back. */
  refillSeconds: number;
  /** Loads waiting behind the one running; one more is refused. */
  maxQueued: number;
  /** How long a request waits for a load (its own or one under way), ms; then it gets 429 and the load goes on. */
  maxWaitMs: number;
}

export const DEFAULT_VERSION_LOAD_LIMITS: VersionLoadLimits = { burst: 2, refillSeconds: 30, maxQueued: 2, maxWaitMs: 2_000 };

/** Clients remembered at most (the oldest are forgotten: a forgotten client starts with a full allowance). */
const MAX_CLIENTS = 10_000;

export class VersionLoadLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly queue: (() => void)[] = [];
  private running = 0;
  /** Seconds the last load took (the wait a full queue announces), 3 s until one is measured. */
  private lastLoadSeconds = 3;

  constructor(private readonly limits: VersionLoadLimits = DEFAULT_VERSION_LOAD_LIMITS) {}

  /** Runs `load` for `clientId` within the limits, or throws TOO_MANY_REQUESTS without running it. */
  async run<T>(clientId: string, what: string, load: () => Promise<T>): Promise<T> {
    if (this.running > 0 && this.queue.length >= this.limits.maxQueued) {
      throw tooMany(`loading ${what}: ${this.running + this.queue.length} loads of other model versions are running or waiting`, Math.ceil(this.lastLoadSeconds * (this.queue.length + 1)));
    }
    this.take(clientId, what);
    if (this.running > 0) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    const started = Date.now();
    try {
      return await load();
    } finally {
      this.lastLoadSeconds = Math.max(0.1, (Date.now() - started) / 1000);
      this.running--;
      this.queue.shift()?.();
    }
  }

  /**
   * The loaded model when `loading` settles within maxWaitMs; else TOO_MANY_REQUESTS with the seconds a load takes
   * (the load goes on, and a retry finds it done): a request never holds a connection for a whole load.
   */
  async awaitLoad<T>(loading: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.limits.maxWaitMs);
    });
    try {
      const first = await Promise.race([loading, late]);
      if (first === 'late') throw tooMany(`${what} is still loading`, Math.ceil(this.lastLoadSeconds));
      return first;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Takes one load from the client's allowance, refilled by elapsed time. */
  private take(clientId: string, what: string): void {
    const now = Date.now();
    const { burst, refillSeconds } = this.limits;
    const bucket = this.buckets.get(clientId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1000 / refillSeconds);
    bucket.at = now;
    this.buckets.delete(clientId); // re-inserted last: Map order is the order of last use
    this.buckets.set(clientId, bucket);
    if (this.buckets.size > MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens < 1) {
      throw tooMany(`loading ${what}: this client may load another model version every ${refillSeconds} s (after ${burst} at once)`, Math.ceil((1 - bucket.tokens) * refillSeconds));
    }
    bucket.tokens -= 1;
  }
}

function tooMany(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError('TOO_MANY_REQUESTS', `${message}: retry in ${retryAfterSeconds} s, or ask for the served version (leave modelVersion out)`, { retryAfterSeconds });
}
