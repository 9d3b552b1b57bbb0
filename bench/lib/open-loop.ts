// An open-loop load generator: request k is sent at start + k / rate seconds whether or not earlier ones were
// answered, and each latency is counted from its scheduled send time, so a server that falls behind shows its
// queueing in the figures instead of slowing the generator down (a closed loop hides it: it waits for answers).

export interface Timed<T> {
  result: T;
  /** From the scheduled send time to the answer, ms. */
  ms: number;
  /** How late the send itself was against its schedule, ms (the generator's own lag; large means it fell behind). */
  lagMs: number;
}

/**
 * Sends `count` requests at `rate` per second, or fewer when `stopped()` turns true before a send (a stream beside a
 * closed loop, whose end is not known ahead); resolves when all that were sent are answered.
 */
export async function openLoop<T>(rate: number, count: number, send: (k: number) => Promise<T>, stopped: () => boolean = () => false): Promise<Timed<T>[]> {
  const start = performance.now();
  const out: Timed<T>[] = [];
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < count; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (stopped()) break;
    const lagMs = performance.now() - due;
    inFlight.push(send(k).then((result) => void out.push({ result, ms: performance.now() - due, lagMs })));
  }
  await Promise.all(inFlight);
  return out;
}

/** The p-th percentile (0 to 100) of `samples`, nearest rank; NaN when there are none. */
export function pct(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
