// Writes the `<name>.inter` TSV of a generated dataset user by user, never holding more than one user's
// interactions: items are proposed by popularity (alias table) and accepted with probability σ(s_e(u, i)).
import { AliasTable } from './alias-table';
import { maxInteractionsPerUser, type GenerateConfig } from './generate-config';
import type { LatentFactors } from './latent-factors';
import type { PlantedItems } from './planted-items';
import type { Prng } from './prng';
import { TextSink } from './text-sink';

export const INTER_HEADER = 'userID\titemID\trating\ttimestamp\tx_label\tenv\n';

/** ρ_e: relative strength of the spurious correlation in training environment e; the test period gets -ρ_0. */
export function spuriousProfile(environments: number): number[] {
  const train = Array.from({ length: environments }, (_, e) => (environments === 1 ? 0.9 : 0.9 - (0.6 * e) / (environments - 1)));
  return [...train, -train[0]];
}

/** The period a generated timestamp falls in: 0..E-1 are the training periods (environments), E the test period. */
export function periodOf(timestamp: number, config: Pick<GenerateConfig, 'startTime' | 'periodSeconds'>): number {
  return Math.floor((timestamp - config.startTime) / config.periodSeconds);
}

export interface PeriodStats {
  /** Interactions per split (x_label 0, 1, 2) in this period. */
  splits: [number, number, number];
  /** Sums over the period's interactions of g_i and h_i (means are in truth.json). */
  sumGlobalScore: number;
  sumSpuriousScore: number;
  /** Sums of every planted column (per modality: invariant columns, then spurious ones) over the period. */
  sumPlanted: Float64Array;
}

export interface InteractionStats {
  /** Periods 0..E-1 (training environments) and E (test). */
  periods: PeriodStats[];
  /** Interactions of each item, all splits. */
  itemCounts: Int32Array;
  /** Interactions whose item was assigned so that every item appears, instead of being sampled. */
  coverageAssigned: number;
  /** Draws that gave up on rejection sampling after MAX_TRIES proposals and took the next free item. */
  fallbacks: number;
}

/** Proposals per interaction before giving up on acceptance; with at most items / 4 per user, never reached in practice. */
const MAX_TRIES = 10_000;

export interface WriteInteractionsOptions {
  /** The latent factors of the items when ζ > 0; users' a_u are drawn from them in id order. */
  latent?: LatentFactors;
  onProgress?: (usersDone: number) => void;
  /** Row-major [users, K]: filled with each user's taste p_u when given (benches that score the generating process). */
  tastes?: Float64Array;
  /** Row-major [users, L]: filled with each user's latent factors a_u when given (with `latent`). */
  latentTastes?: Float64Array;
}

export async function writeInteractions(
  file: string,
  rng: Prng,
  config: GenerateConfig,
  planted: PlantedItems,
  counts: Int32Array,
  options: WriteInteractionsOptions = {},
): Promise<InteractionStats> {
  const { latent, onProgress, tastes, latentTastes } = options;
  const { items, environments: E, startTime, periodSeconds } = config;
  const { globalScore: g, spuriousScore: h, invariantFeatures: z, invariantWidth: K } = planted;
  const beta = spuriousProfile(E).map((r) => config.spuriousStrength * r); // β_e
  const gamma = config.invariantStrength;
  const tau = config.tasteStrength / Math.sqrt(K);
  const proposal = new AliasTable(planted.popularity);

  const cap = maxInteractionsPerUser(items);
  const times = new Float64Array(cap);
  const slotItems = new Int32Array(cap);
  const labels = new Uint8Array(cap);
  const trainSlots = new Int32Array(cap);
  const taste = new Float64Array(K);
  const userLatent = new Float64Array(latent?.width ?? 0);
  const takenBy = new Int32Array(items).fill(-1); // the user who last took item i: no duplicate pair
  const itemCounts = new Int32Array(items);
  // Planted columns as offsets into each modality's rows, for the per-period column means of truth.json.
  const plantedColumns = planted.modalities.flatMap((m) => [...m.invariantDims, ...m.spuriousDims].map((col) => ({ f: m.features, w: m.width, col })));
  const periods: PeriodStats[] = Array.from({ length: E + 1 }, () => ({
    splits: [0, 0, 0],
    sumGlobalScore: 0,
    sumSpuriousScore: 0,
    sumPlanted: new Float64Array(plantedColumns.length),
  }));
  const stats: InteractionStats = { periods, itemCounts, coverageAssigned: 0, fallbacks: 0 };

  // Coverage: every item must appear (feature row i is item i). Training-period slots still to come,
  // counted by their lower bound, tell when the items nobody took yet must be assigned.
  const minTrainSlots = (n: number) => Math.max(1, n - Math.ceil(config.testFraction * n));
  let capacityAfter = 0;
  for (let u = 0; u < counts.length; u++) capacityAfter += minTrainSlots(counts[u]);
  if (capacityAfter < items) throw new RangeError(`only ${capacityAfter} training-period slots for ${items} items`);
  let untaken = items;
  let nextUntaken = 0;

  const sample = (u: number, env: number): number => {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const i = proposal.sample(rng);
      if (takenBy[i] === u) continue;
      let dot = 0;
      for (let k = 0, o = i * K; k < K; k++, o++) dot += taste[k] * z[o];
      const s = gamma * g[i] + tau * dot + beta[env] * h[i] + (latent ? latent.score(userLatent, i) : 0);
      if (rng.next() * (1 + Math.exp(-s)) < 1) return i; // accept with probability σ(s)
    }
    stats.fallbacks++;
    let i = rng.nextInt(items);
    while (takenBy[i] === u) i = (i + 1) % items;
    return i;
  };

  const sink = TextSink.open(file);
  try {
    sink.write(INTER_HEADER);
    for (let u = 0; u < counts.length; u++) {
      const n = counts[u];
      capacityAfter -= minTrainSlots(n);
      const nTest = n >= 2 ? Math.min(n - 1, randomRound(rng, config.testFraction * n)) : 0;
      const nTrain = n - nTest;
      const nValid = Math.min(nTrain - 1, randomRound(rng, config.validFraction * nTrain));
      // Training-period slots fall in a uniformly drawn environment, test slots in the last period;
      // sorting by time puts the training-period slots first.
      for (let k = 0; k < n; k++) {
        const period = k < nTrain ? rng.nextInt(E) : E;
        times[k] = startTime + period * periodSeconds + rng.nextInt(periodSeconds);
      }
      times.subarray(0, n).sort();
      for (let k = 0; k < K; k++) taste[k] = rng.nextNormal(); // p_u
      tastes?.set(taste, u * K);
      if (latent) {
        latent.drawUser(userLatent);
        latentTastes?.set(userLatent, u * latent.width);
      }

      // Items nobody has taken and that later users could not all absorb go to this user's first slots.
      const assigned = Math.max(0, untaken - capacityAfter);
      for (let k = 0; k < n; k++) {
        const env = periodOf(times[k], config);
        let i: number;
        if (k < assigned) {
          while (itemCounts[nextUntaken] > 0) nextUntaken++;
          i = nextUntaken;
          stats.coverageAssigned++;
        } else {
          i = sample(u, env);
        }
        takenBy[i] = u;
        if (itemCounts[i]++ === 0) untaken--;
        slotItems[k] = i;
        labels[k] = k < nTrain ? 0 : 2;
      }
      // Validation: a uniform sample of the training-period slots (partial Fisher-Yates).
      for (let k = 0; k < nTrain; k++) trainSlots[k] = k;
      for (let k = 0; k < nValid; k++) {
        const j = k + rng.nextInt(nTrain - k);
        const slot = trainSlots[j];
        trainSlots[j] = trainSlots[k];
        trainSlots[k] = slot;
        labels[slot] = 1;
      }

      let rows = '';
      for (let k = 0; k < n; k++) {
        const i = slotItems[k];
        const env = periodOf(times[k], config);
        const p = periods[env];
        p.splits[labels[k]]++;
        p.sumGlobalScore += g[i];
        p.sumSpuriousScore += h[i];
        for (let c = 0; c < plantedColumns.length; c++) {
          const { f, w, col } = plantedColumns[c];
          p.sumPlanted[c] += f[i * w + col];
        }
        rows += `${u}\t${i}\t1\t${times[k]}\t${labels[k]}\t${env}\n`;
      }
      sink.write(rows);
      await sink.flushIfFull();
      if ((u & 1023) === 1023) onProgress?.(u + 1);
    }
    await sink.close();
  } catch (err) {
    sink.destroy();
    throw err;
  }
  onProgress?.(counts.length);
  return stats;
}

/** floor(x) plus one with probability frac(x): unbiased rounding. */
function randomRound(rng: Prng, x: number): number {
  const floor = Math.floor(x);
  return floor + (rng.next() < x - floor ? 1 : 0);
}
