// The BI thread gives way to API requests. The API thread counts its GraphQL requests in flight (and when the last
// one arrived) in a SharedArrayBuffer; the BI thread reads it before each statement it runs (a SQL client's query or
// execute, and each statement of a publish) and, while the API is busy, waits on it with Atomics.wait: the thread
// sleeps, using no CPU, until a request begins or ends, then looks again. A statement itself cannot be paused (PGlite
// runs it start to end), so the pause falls between statements: a duty cycle.
//
// Busy means a request in flight, or one that arrived less than the quiet time ago: as long as the thread's previous
// statement ran, at least QUIET_MS (requests come in streams: a statement of T ms starts when the API has been quiet
// for T ms, as a gap of a few ms between two requests is no time to start a heavy one). The wait is capped, so every
// BI query still ends: at most RUN_FACTOR times as long as the thread's previous statement ran, within [minWaitMs,
// maxWaitMs]. Under a
// steady stream of API requests the BI thread thus still runs at least 1 / (1 + RUN_FACTOR) of the time (a query of
// T ms of statements ends within about 5 T), a cheap statement (catalog reads of a tool browsing) waits about as
// little as it costs, and no statement waits more than maxWaitMs (1 s by default, EIOR_BI_YIELD_MS; 0: no waits).
// With `eior serve --workers N` the other workers' requests count too: each worker sends +1 and -1 to the primary,
// which passes them to worker 1, the one with the BI thread (`other`); a keep-alive client's requests all reach the
// worker that got its connection, which need not be worker 1. The counters after the request slots (waits, capped
// waits, ms waited, a flag while waiting) say what the gate did; /metrics, tests and benchmarks read them.

/** A request that arrived less than this long ago still counts as API work (ms; the previous statement's run time when longer). */
export const QUIET_MS = 20;
/** A statement waits at most this many times as long as the previous statement ran. */
export const RUN_FACTOR = 4;
/** The most one statement waits for the API by default (ms): EIOR_BI_YIELD_MS. */
export const DEFAULT_MAX_WAIT_MS = 1_000;

// Int32 slots of the shared buffer
const SEQ = 0; // +1 at every request start and end: what the BI thread sleeps on
const IN_FLIGHT = 1;
const LAST_ARRIVAL = 2; // ms since `epoch`, wrapping (only differences under 24 days are read)
const WAITING = 3; // 1 while a statement waits
const WAITS = 4;
const CAPPED = 5;
const WAITED_MS = 6;
const SLOTS = 7;

/** What the BI thread needs to see the API: the shared counters and the clock they are kept on. */
export interface ApiActivityShared {
  buffer: SharedArrayBuffer;
  /** Date.now() when the buffer was made; arrival times are kept relative to it. */
  epoch: number;
}

/** What the gate has done so far. */
export interface YieldCounts {
  inFlight: number;
  waiting: boolean;
  /** Statements that waited for the API. */
  waits: number;
  /** Waits ended by the cap while the API was still busy. */
  capped: number;
  waitedMs: number;
}

function countsOf(slots: Int32Array): YieldCounts {
  const at = (i: number) => Atomics.load(slots, i);
  return { inFlight: at(IN_FLIGHT), waiting: at(WAITING) === 1, waits: at(WAITS), capped: at(CAPPED), waitedMs: at(WAITED_MS) };
}

/** The API thread's side: marks requests in flight. */
export class ApiActivity {
  readonly shared: ApiActivityShared = { buffer: new SharedArrayBuffer(SLOTS * 4), epoch: Date.now() };
  private readonly slots = new Int32Array(this.shared.buffer);

  /** A request starts; call the function returned when it ends (a second call does nothing). */
  begin(): () => void {
    Atomics.store(this.slots, LAST_ARRIVAL, (Date.now() - this.shared.epoch) | 0);
    this.change(+1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.change(-1);
    };
  }

  /** A request began (+1) or ended (-1) in another process of the same API (`eior serve --workers N`, relayed). */
  other(delta: 1 | -1): void {
    if (delta > 0) Atomics.store(this.slots, LAST_ARRIVAL, (Date.now() - this.shared.epoch) | 0);
    this.change(delta);
  }

  counts(): YieldCounts {
    return countsOf(this.slots);
  }

  private change(delta: number): void {
    Atomics.add(this.slots, IN_FLIGHT, delta);
    Atomics.add(this.slots, SEQ, 1);
    Atomics.notify(this.slots, SEQ);
  }
}

export interface BiYieldOptions {
  /** The most one statement waits (ms; 0: never waits). */
  maxWaitMs?: number;
  /** The least the cap is, whatever the previous statement cost (ms; default 0). */
  minWaitMs?: number;
}

/** Runs a statement through `gate` (waiting for the API first), or at once without one. */
export function runGated<T>(gate: BiYield | null, statement: () => Promise<T>): Promise<T> {
  return gate ? gate.run(statement) : statement();
}

/** The BI thread's side: waits before each statement while the API is busy, within the cap. */
export class BiYield {
  private readonly slots: Int32Array;
  private readonly maxWaitMs: number;
  private readonly minWaitMs: number;
  /** How long the previous statement ran (ms): the cap is RUN_FACTOR times this. */
  private lastRunMs = 0;

  constructor(
    private readonly shared: ApiActivityShared,
    options: BiYieldOptions = {},
  ) {
    this.slots = new Int32Array(shared.buffer);
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.minWaitMs = Math.min(options.minWaitMs ?? 0, this.maxWaitMs);
  }

  /** Runs a statement after the wait; its run time sets the next cap. */
  async run<T>(statement: () => Promise<T>): Promise<T> {
    this.waitForApi();
    const start = performance.now();
    try {
      return await statement();
    } finally {
      this.lastRunMs = performance.now() - start;
    }
  }

  /** Sleeps while the API is busy, at most the cap; returns the ms waited. */
  waitForApi(): number {
    const cap = Math.min(this.maxWaitMs, Math.max(this.minWaitMs, RUN_FACTOR * this.lastRunMs));
    if (cap <= 0 || this.busyFor() === 0) return 0;
    const start = performance.now();
    Atomics.store(this.slots, WAITING, 1);
    Atomics.add(this.slots, WAITS, 1);
    for (;;) {
      const left = cap - (performance.now() - start);
      // read the sequence before the state: a change after this read makes Atomics.wait return at once
      const seq = Atomics.load(this.slots, SEQ);
      const busy = this.busyFor();
      if (busy === 0) break;
      if (left <= 0) {
        Atomics.add(this.slots, CAPPED, 1);
        break;
      }
      Atomics.wait(this.slots, SEQ, seq, Math.min(left, busy));
    }
    const waited = performance.now() - start;
    Atomics.add(this.slots, WAITED_MS, Math.round(waited));
    Atomics.store(this.slots, WAITING, 0);
    return waited;
  }

  counts(): YieldCounts {
    return countsOf(this.slots);
  }

  /** 0 when the API is idle; else how long it stays busy at least (ms; Infinity while a request is in flight). */
  private busyFor(): number {
    if (Atomics.load(this.slots, IN_FLIGHT) > 0) return Infinity;
    const quietMs = Math.max(QUIET_MS, this.lastRunMs);
    const sinceArrival = (Date.now() - this.shared.epoch - Atomics.load(this.slots, LAST_ARRIVAL)) | 0;
    return Atomics.load(this.slots, SEQ) > 0 && sinceArrival < quietMs ? quietMs - sinceArrival : 0;
  }
}
