// How many interactions each user gets: heavy-tailed like real data (a few very active users, many with
// a handful), summing exactly to the requested total and bounded by [1, cap].
import type { Prng } from './prng';

/**
 * n_u = clamp(λ w_u, 1, cap) with w_u Pareto(shape) and λ found by bisection so that Σ n_u = total,
 * rounded through cumulative sums so that the integers keep the exact total.
 */
export function allocateActivity(rng: Prng, users: number, total: number, cap: number, shape: number): Int32Array {
  if (total < users || total > users * cap) throw new RangeError(`cannot give ${users} users ${total} interactions with 1 to ${cap} each`);
  const weights = new Float64Array(users);
  for (let u = 0; u < users; u++) weights[u] = (1 - rng.next()) ** (-1 / shape);
  const sumAt = (lambda: number): number => {
    let s = 0;
    for (let u = 0; u < users; u++) s += Math.min(cap, Math.max(1, lambda * weights[u]));
    return s;
  };
  let lo = 0;
  let hi = 1;
  while (sumAt(hi) < total) hi *= 2;
  for (let step = 0; step < 100 && hi - lo > hi * 1e-15; step++) {
    const mid = (lo + hi) / 2;
    if (sumAt(mid) < total) lo = mid;
    else hi = mid;
  }
  const counts = new Int32Array(users);
  const real = sumAt(hi);
  let cumulative = 0;
  let previous = 0;
  for (let u = 0; u < users; u++) {
    cumulative += Math.min(cap, Math.max(1, hi * weights[u]));
    const rounded = Math.round((cumulative * total) / real);
    counts[u] = Math.min(cap, Math.max(1, rounded - previous));
    previous = rounded;
  }
  // Clamping can only move the total by a few units in degenerate ties: settle them on users with room.
  let missing = total;
  for (let u = 0; u < users; u++) missing -= counts[u];
  for (let u = 0; missing !== 0; u = (u + 1) % users) {
    if (missing > 0 && counts[u] < cap) {
      counts[u]++;
      missing--;
    } else if (missing < 0 && counts[u] > 1) {
      counts[u]--;
      missing++;
    }
  }
  return counts;
}
