// `eior generate`: a synthetic dataset in the MMRec layout with a planted distribution shift, so that the
// EIOR method can be checked against known invariant and spurious features (README "Generated data").
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { maxInteractionsPerUser, validateGenerateConfig, type GenerateConfig } from './generate-config';
import { spuriousProfile, writeInteractions, type InteractionStats } from './generate-interactions';
import { writeNpyMatrix } from './npy';
import { LatentFactors } from './latent-factors';
import { plantItems, type PlantedItems, type PlantedModality } from './planted-items';
import { Prng } from './prng';
import { allocateActivity } from './user-activity';

export interface GeneratedPeriod {
  env: number;
  split: 'train' | 'test';
  /** Unix seconds, start inclusive, end exclusive. */
  start: number;
  end: number;
  /** β_e: weight of the spurious score h_i in this period's preference. */
  spuriousWeight: number;
  interactions: { train: number; valid: number; test: number };
  /** Means of g_i and h_i over the period's interactions: the planted effects as measured (0 under popularity alone). */
  meanGlobalScore: number;
  meanSpuriousScore: number;
  /** Mean of each planted column over the period's interactions, per modality (0 under popularity alone). */
  columnMeans: Array<{ modality: string; invariant: number[]; spurious: number[] }>;
}

/** What was planted, written to truth.json: enough to check a model against the generating process. */
export interface GeneratedTruth {
  format: 'eior-generated/1';
  config: GenerateConfig;
  files: { interactions: string; features: string[] };
  columns: string;
  preference: string;
  periods: GeneratedPeriod[];
  /** What was planted in each modality (its columns and signs), and the file it went to. */
  modalities: Array<Omit<PlantedModality, 'features'> & { file: string }>;
  popularity: { exponent: number; top10PercentItemsShare: number };
  users: { activityShape: number; minInteractions: number; maxInteractions: number; meanInteractions: number };
  interactions: { train: number; valid: number; test: number; coverageAssigned: number; fallbacks: number };
}

export interface GenerateResult {
  dir: string;
  files: { interactions: string; features: string[]; truth: string };
  users: number;
  items: number;
  interactions: { train: number; valid: number; test: number };
  modalities: Array<{ name: string; width: number }>;
  truth: GeneratedTruth;
  /** With `keepPlanted`: the generating process itself, for benches that score it (an upper bound for any model). */
  planted?: GeneratedProcess;
}

/** The generating process of a dataset: the items as planted and each user's taste p_u (and latent factors a_u, b_i when ζ > 0). */
export interface GeneratedProcess {
  items: PlantedItems;
  /** Row-major [users, items.invariantWidth]: p_u. */
  tastes: Float64Array;
  /** With ζ > 0: the items' factors b_i and the users' a_u (row-major [users, latent.width]). */
  latent?: { factors: LatentFactors; users: Float64Array };
}

export interface GenerateOptions {
  /** Called every 1,024 users and at the end. */
  onProgress?: (usersDone: number, users: number) => void;
  /** Return the generating process with the result (held in memory: items x features and users x K). */
  keepPlanted?: boolean;
}

/**
 * Writes `<name>.inter`, one `<modality>_feat.npy` per modality and `truth.json` into `dir` (created if
 * missing). Files are written under a `.partial` suffix and renamed at the end: a failure leaves nothing.
 */
export async function generateDataset(dir: string, input: Partial<GenerateConfig> = {}, options: GenerateOptions = {}): Promise<GenerateResult> {
  const config = validateGenerateConfig(input);
  await fs.mkdir(dir, { recursive: true });
  // One generator for everything, always consumed in the same order: items, activity, then users.
  const rng = new Prng(config.seed);
  const planted = plantItems(rng, config);
  const counts = allocateActivity(rng, config.users, config.interactions, maxInteractionsPerUser(config.items), config.activityShape);
  const latent = LatentFactors.plant(config);

  const interName = `${config.name}.inter`;
  const featureNames = planted.modalities.map((m) => `${m.name}_feat.npy`);
  const finals = [interName, ...featureNames, 'truth.json'].map((f) => path.join(dir, f));
  const partial = (file: string) => `${file}.partial`;
  try {
    const tastes = options.keepPlanted ? new Float64Array(config.users * planted.invariantWidth) : undefined;
    const latentTastes = options.keepPlanted && latent ? new Float64Array(config.users * latent.width) : undefined;
    const stats = await writeInteractions(partial(finals[0]), rng, config, planted, counts, {
      latent,
      onProgress: (done) => options.onProgress?.(done, config.users),
      tastes,
      latentTastes,
    });
    for (const [k, m] of planted.modalities.entries()) {
      await writeNpyMatrix(partial(finals[1 + k]), { rows: config.items, cols: m.width, dtype: 'float32', data: m.features });
    }
    const truth = describeTruth(config, planted, counts, stats, interName, featureNames);
    await fs.writeFile(partial(finals[finals.length - 1]), `${JSON.stringify(truth, null, 2)}\n`);
    for (const f of finals) await fs.rename(partial(f), f);
    return {
      dir,
      files: { interactions: finals[0], features: finals.slice(1, -1), truth: finals[finals.length - 1] },
      users: config.users,
      items: config.items,
      interactions: { train: truth.interactions.train, valid: truth.interactions.valid, test: truth.interactions.test },
      modalities: planted.modalities.map((m) => ({ name: m.name, width: m.width })),
      truth,
      ...(tastes ? { planted: { items: planted, tastes, ...(latentTastes ? { latent: { factors: latent!, users: latentTastes } } : {}) } } : {}),
    };
  } catch (err) {
    await Promise.all(finals.map((f) => fs.rm(partial(f), { force: true })));
    throw err;
  }
}

function describeTruth(
  config: GenerateConfig,
  planted: PlantedItems,
  counts: Int32Array,
  stats: InteractionStats,
  interName: string,
  featureNames: string[],
): GeneratedTruth {
  const E = config.environments;
  const profile = spuriousProfile(E);
  const offset = (m: PlantedModality) => {
    let o = 0;
    for (const x of planted.modalities.slice(0, planted.modalities.indexOf(m))) o += x.invariantDims.length + x.spuriousDims.length;
    return o;
  };
  const periods = stats.periods.map((p, env): GeneratedPeriod => {
    const total = p.splits[0] + p.splits[1] + p.splits[2];
    const start = config.startTime + env * config.periodSeconds;
    return {
      env,
      split: env < E ? 'train' : 'test',
      start,
      end: start + config.periodSeconds,
      spuriousWeight: round(config.spuriousStrength * profile[env]),
      interactions: { train: p.splits[0], valid: p.splits[1], test: p.splits[2] },
      meanGlobalScore: round(total ? p.sumGlobalScore / total : 0),
      meanSpuriousScore: round(total ? p.sumSpuriousScore / total : 0),
      columnMeans: planted.modalities.map((m) => {
        const means = Array.from(p.sumPlanted.subarray(offset(m), offset(m) + m.invariantDims.length + m.spuriousDims.length), (x) => round(total ? x / total : 0));
        return { modality: m.name, invariant: means.slice(0, m.invariantDims.length), spurious: means.slice(m.invariantDims.length) };
      }),
    };
  });
  const sum = (k: 0 | 1 | 2) => stats.periods.reduce((s, p) => s + p.splits[k], 0);
  const sorted = Int32Array.from(stats.itemCounts).sort().reverse();
  let top = 0;
  for (let k = 0; k < Math.ceil(config.items / 10); k++) top += sorted[k];
  let minN = Infinity;
  let maxN = 0;
  for (const n of counts) {
    minN = Math.min(minN, n);
    maxN = Math.max(maxN, n);
  }
  return {
    format: 'eior-generated/1',
    config,
    files: { interactions: interName, features: featureNames },
    columns:
      'userID itemID rating timestamp x_label env: rating is always 1 (implicit feedback); x_label 0/1/2 = train/valid/test; ' +
      `env 0..${E - 1} = training period (environment), ${E} = test period; timestamp in unix seconds`,
    preference:
      's_e(u,i) = γ·g_i + τ·(p_u·z_i)/√K + β_e·h_i + ζ·(a_u·b_i)/√L with g_i = c·z_i/√K, h_i = d·x_spurious/√D, p_u ~ N(0, I_K), ' +
      'a_u, b_i ~ N(0, I_L) in no feature file (ζ = 0: no latent part); ' +
      'an interaction of u in period e takes item i with probability ∝ π_i·σ(s_e(u,i)), π_i ∝ rank_i^-s',
    periods,
    modalities: planted.modalities.map((m, k) => ({
      name: m.name,
      file: featureNames[k],
      width: m.width,
      invariantDims: m.invariantDims,
      invariantSigns: m.invariantSigns,
      spuriousDims: m.spuriousDims,
      spuriousSigns: m.spuriousSigns,
      noiseDims: m.noiseDims,
    })),
    popularity: { exponent: config.popularityExponent, top10PercentItemsShare: round(top / config.interactions) },
    users: {
      activityShape: config.activityShape,
      minInteractions: minN,
      maxInteractions: maxN,
      meanInteractions: round(config.interactions / config.users),
    },
    interactions: { train: sum(0), valid: sum(1), test: sum(2), coverageAssigned: stats.coverageAssigned, fallbacks: stats.fallbacks },
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;
