// The configuration of `eior generate`: defaults, limits, and a validation that names the bad value and
// the allowed range. The symbols (s, a, γ, τ, κ, ρ_e, ζ) are those of the README's "Generated data".
import { GraphError } from '../errors';
import { validateDatasetName } from '../ingest/prepare';

/** Feature files in MMRec naming, in the order modalities 1..3 are added. */
export const GENERATED_MODALITIES: ReadonlyArray<{ name: 'image' | 'audio' | 'text'; width: number }> = [
  { name: 'image', width: 64 },
  { name: 'audio', width: 32 },
  { name: 'text', width: 48 },
];

export interface GenerateConfig {
  /** Users, ids 0..users-1. */
  users: number;
  /** Items, ids 0..items-1 = rows of every feature file; every item gets at least one interaction. */
  items: number;
  /** Interactions in the file, all splits together. */
  interactions: number;
  /** E: training environments, one time period each; a test period with the reversed correlation follows. */
  environments: number;
  /** Feature files: 1 = image, 2 = + audio, 3 = + text. */
  modalities: number;
  seed: number;
  /** File stem: `<name>.inter`. */
  name: string;
  /** s: exponent of the Zipf-Mandelbrot popularity prior, π_i ∝ (rank_i + q·items)^-s (rank from 1). */
  popularityExponent: number;
  /** q: head offset of the popularity prior as a share of the catalogue; flattens the head like real data. */
  popularityOffset: number;
  /** a: Pareto shape of user activity (weights (1-U)^(-1/a)); smaller is a longer tail. */
  activityShape: number;
  /** Invariant dimensions per modality. */
  invariantDims: number;
  /** Spurious dimensions per modality. */
  spuriousDims: number;
  /** γ: weight of the global invariant score g_i, the same in every period. */
  invariantStrength: number;
  /** τ: weight of the user's own taste over the invariant dimensions. */
  tasteStrength: number;
  /** κ: scale of the spurious weights β_e = κ ρ_e. */
  spuriousStrength: number;
  /** L: dimensions of the latent factors a_u and b_i that no feature file shows (what users share beyond the content). */
  latentDims: number;
  /** ζ: weight of the latent match a_u·b_i/√L; 0 (the default) plants none and draws none, as before it existed. */
  latentStrength: number;
  /** Share of a user's interactions placed in the test period (users with 2 or more interactions). */
  testFraction: number;
  /** Share of a user's training-period interactions held out as validation. */
  validFraction: number;
  /** Unix seconds at which the first training period starts. */
  startTime: number;
  /** Length of each period in seconds. */
  periodSeconds: number;
}

export const DEFAULT_GENERATE_CONFIG: Readonly<GenerateConfig> = {
  users: 2000,
  items: 1000,
  interactions: 40000,
  environments: 3,
  modalities: 2,
  seed: 42,
  name: 'generated',
  // s and q fitted to TikTok: top item ≈ 0.4 % and top 10 % of items ≈ 50 % of interactions.
  popularityExponent: 0.9,
  popularityOffset: 0.005,
  activityShape: 1.2,
  invariantDims: 4,
  spuriousDims: 4,
  invariantStrength: 1,
  tasteStrength: 1,
  spuriousStrength: 2,
  latentDims: 8,
  latentStrength: 0,
  testFraction: 0.2,
  validFraction: 0.1,
  startTime: 1_577_836_800, // 2020-01-01T00:00:00Z
  periodSeconds: 30 * 24 * 3600,
};

type Range = readonly [min: number, max: number];

/** Allowed ranges of the integer options. Item features are held in memory, users' activity weights too. */
export const GENERATE_LIMITS = {
  users: [1, 10_000_000],
  items: [100, 1_000_000], // at least 2 + all planted columns, which are made orthonormal over items
  environments: [1, 20],
  modalities: [1, GENERATED_MODALITIES.length],
  seed: [0, 4_294_967_295],
  invariantDims: [1, 16],
  spuriousDims: [1, 16],
  latentDims: [1, 64],
} as const satisfies Record<string, Range>;

const REAL_LIMITS = {
  popularityExponent: [0, 3],
  popularityOffset: [0, 1],
  activityShape: [0.5, 10],
  invariantStrength: [0, 10],
  tasteStrength: [0, 10],
  spuriousStrength: [0, 10],
  latentStrength: [0, 10],
  testFraction: [0, 0.3], // keeps at least half of anyone's interactions in training periods
  validFraction: [0, 0.5],
  startTime: [0, 4_000_000_000],
  periodSeconds: [1, 100_000_000],
} as const satisfies Record<string, Range>;

/** The most interactions one user may have: a quarter of the catalogue keeps duplicate rejection cheap. */
export function maxInteractionsPerUser(items: number): number {
  return Math.floor(items / 4);
}

/**
 * Range of `interactions` for these users and items: every user has one, every item needs one in a
 * training period (at least half of anyone's interactions are), and no user has more than items / 4.
 */
export function interactionLimits(users: number, items: number): Range {
  return [Math.max(users, 2 * items), users * maxInteractionsPerUser(items)];
}

function bad(message: string): GraphError {
  return new GraphError('BAD_USER_INPUT', message);
}

/** The full configuration, defaults filled in; refuses a bad value naming it and the allowed range. */
export function validateGenerateConfig(input: Partial<GenerateConfig> = {}): GenerateConfig {
  const c: GenerateConfig = { ...DEFAULT_GENERATE_CONFIG, ...input };
  for (const [key, [min, max]] of Object.entries(GENERATE_LIMITS)) {
    const v = c[key as keyof typeof GENERATE_LIMITS];
    if (!Number.isSafeInteger(v) || v < min || v > max) throw bad(`${key} = ${v} is out of range: expected an integer from ${min} to ${max}`);
  }
  for (const [key, [min, max]] of Object.entries(REAL_LIMITS)) {
    const v = c[key as keyof typeof REAL_LIMITS];
    if (!Number.isFinite(v) || v < min || v > max) throw bad(`${key} = ${v} is out of range: expected a number from ${min} to ${max}`);
  }
  const narrowest = Math.min(...GENERATED_MODALITIES.slice(0, c.modalities).map((m) => m.width));
  if (c.invariantDims + c.spuriousDims > narrowest) {
    throw bad(`invariantDims + spuriousDims = ${c.invariantDims + c.spuriousDims} does not fit a ${narrowest}-wide modality: expected at most ${narrowest}`);
  }
  const [min, max] = interactionLimits(c.users, c.items);
  if (min > max) {
    throw bad(
      `no number of interactions fits ${c.users} users and ${c.items} items: every item needs one (at least ${min}) and a user may have at most items / 4 = ${maxInteractionsPerUser(c.items)} (at most ${max}); use more users or fewer items`,
    );
  }
  if (!Number.isSafeInteger(c.interactions) || c.interactions < min || c.interactions > max) {
    throw bad(`interactions = ${c.interactions} is out of range for ${c.users} users and ${c.items} items: expected an integer from ${min} to ${max}`);
  }
  validateDatasetName(c.name);
  return c;
}
