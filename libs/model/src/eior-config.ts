// EIOR's hyperparameters (docs/method.md#2-environments to #6-training-objective): environment inference and the feature mask as InvRL's code
// does them (nickwzk/InvRL main.py defaults), the two branches, and the self-attention fusion trained through ŷ.
import { InvalidConfigError } from './errors';
import { INVARIANCE_PENALTIES, type InvariancePenalty } from './invariance-penalties';

export const ENVIRONMENT_SOURCES = ['inferred', 'time'] as const;
export type EnvironmentSource = (typeof ENVIRONMENT_SOURCES)[number];

export interface EnvironmentConfig {
  /** `inferred`: InvRL's heterogeneous environment inference; `time`: equal-count windows of the train timestamps. */
  source: EnvironmentSource;
  /** E (InvRL `num_domains`). */
  numEnvironments: number;
  /** Epochs of each per-environment model per round (InvRL `f_epoch`). */
  epochs: number;
  /** Round limit of one inference (InvRL `f_max`). */
  maxRounds: number;
  /** Stop when at most this share of the assignments changed in a round (InvRL: 1 %). */
  tolerance: number;
  /** Adam learning rate of the per-environment projections (InvRL `p_proj` lr). */
  lr: number;
  /** L1 weight on |W ⊙ m|, which steers environment models off the invariant columns (InvRL `reg_loss`). */
  maskL1: number;
  /** γ_W on ½‖W‖² + ½‖b‖² of the per-environment projections (InvRL: 1e-2·‖W‖², so 2e-2). */
  projectionGamma: number;
  /** Standardise each environment model's scores over the edges before the argmax [ours]; InvRL compares raw scores. */
  standardizeScores: boolean;
}

export interface MaskConfig {
  /**
   * How the stage finds the stable columns [ours]: `penalty`, InvRL's mask learner (gates trained against an
   * invariance penalty across the environments, invariant-mask.ts); `stability`, the refit of the taste model's
   * content projection on time windows at every window count from 2 to `environments.numEnvironments`
   * (column-stability.ts; needs `userSide: taste`). Where the train edges carry no timestamps `stability` falls back
   * to `penalty` on the inferred environments. See docs/method.md#the-stability-estimator-ours.
   */
  estimator: MaskEstimator;
  /** With `estimator: stability`: one-pass epochs of each window's refit of the projection. */
  stabilityEpochs: number;
  /** Which invariance penalty the mask learning minimises. */
  penalty: InvariancePenalty;
  /** α: weight of the penalty (InvRL `alpha`), multiplied by `growth` after each alternation. */
  alpha: number;
  /** λ_m: weight of Σ μ_j² (InvRL `lam`), multiplied by `growth` after each alternation. */
  lambdaMu: number;
  /** σ of the stochastic gate m = clamp(μ + 0.5 + σε, 0, 1) (InvRL `sigma`). */
  sigma: number;
  /** Epochs of mask learning per alternation (InvRL `b_epoch`). */
  epochs: number;
  /** Adam learning rate of μ (InvRL `lr`). */
  lr: number;
  /** Adam learning rate of the mask learner's projection (InvRL `p_proj` lr). */
  projectionLr: number;
  /** γ_W on ½‖W‖² of the mask learner's projection (InvRL: 2e-2). */
  projectionGamma: number;
  /** Alternations of environment inference and mask learning (InvRL `ite`: 5 in main.py). */
  alternations: number;
  /** Factor on α and λ_m after each alternation (InvRL: 1.05). */
  growth: number;
  /**
   * Edges per environment per step; 0 takes the backbone's batch size (InvRL). Larger batches make the spread of
   * the environments' gradients less a matter of sampling noise, which every column has [ours].
   */
  batchSize: number;
  /**
   * Round the learned mask to 0 or 1 [ours]. InvRL keeps clamp(μ + 0.5, 0, 1): a soft value only rescales a
   * column, which a linear projection can undo, and it shrinks the content part of every score.
   */
  binarize: boolean;
  /**
   * Where `binarize` splits: `half` keeps m > 0.5; `otsu` keeps the upper of the two groups that Otsu's method
   * finds in the mask's values (the split with the largest between-group variance) [ours]. λ_m pulls every μ
   * towards 0 (m = 0.5), so a column the penalty spares can sit below 0.5 and one it punishes above; the gap
   * between the groups says more than the distance to 0.5. `outliers` keeps the columns whose value stands out
   * above the bulk of the columns (a modified z-score above 3.5, invariant-mask.ts `OUTLIER_Z`) [ours]: no column
   * when none stands out, which says so rather than keeping half of them.
   */
  binarizeSplit: MaskSplit;
  /**
   * What the mask learner's and the environment models' projections read of the user [ours]: `feature`, the frozen
   * e_u's feature part (InvRL); `whole`, all of e_u; `taste`, user vectors of e_u_f's width that the invariance
   * stage fits itself on content alone (`user-taste.ts`), so that the user side carries content taste however
   * little content the backbone learned. See docs/method.md#3-invariant-part.
   */
  userSide: MaskUserSide;
  /** With `userSide: taste`: one-pass epochs of the user-taste fit (lr `projectionLr`, γ `projectionGamma`). */
  tasteEpochs: number;
  /**
   * Score the mask learner's pairs by content alone, without the frozen e_u_id · V_i [ours]. With the ID part in
   * the score, V_i has already absorbed every item-level effect that is the same in all environments, so the
   * content is left only the environment-specific residual and an invariant column looks like noise.
   */
  contentOnly: boolean;
  /**
   * How μ steps [ours]: `adam`, per-entry Adam (InvRL); `shared`, Adam with one second moment for all of μ
   * (`shared-scale-adam.ts`), which keeps the columns' gradients in proportion.
   */
  muStep: MaskMuStep;
  /**
   * `variance` penalty only: subtract from the environments' gradient spread what sampling noise alone gives it
   * [ours], estimated from the batch's per-row gradients (invariance-penalties.ts, `gradientVariancePenalty`).
   */
  debias: boolean;
  /**
   * With `debias`: the penalty weighs the debiased spread once (Σ spread · (μ + 0.5)) instead of InvRL's square, so
   * that a column whose gradient is the same in every environment costs 0 in expectation [ours].
   */
  linearSpread: boolean;
  /**
   * With the `irmv1` and `vrex` penalties, whose losses are per-row means, divide λ_m by the edges per environment
   * per step [ours]: the variance penalty's losses are sums over the batch, and λ_m = 0.1 against a mean loss pins
   * every μ near 0 (mask std 1e-4 on planted data). No effect with `variance`.
   */
  rowScaledLambda: boolean;
}

export const MASK_ESTIMATORS = ['penalty', 'stability'] as const;
export type MaskEstimator = (typeof MASK_ESTIMATORS)[number];

export const MASK_MU_STEPS = ['adam', 'shared'] as const;
export type MaskMuStep = (typeof MASK_MU_STEPS)[number];

export const MASK_USER_SIDES = ['feature', 'whole', 'taste'] as const;
export type MaskUserSide = (typeof MASK_USER_SIDES)[number];

export const MASK_SPLITS = ['half', 'otsu', 'outliers'] as const;
export type MaskSplit = (typeof MASK_SPLITS)[number];

export const FUSION_KINDS = ['attention', 'global', 'fixed'] as const;
export type FusionKind = (typeof FUSION_KINDS)[number];

export const NEW_ITEM_ROUTES = ['content', 'model'] as const;
export type NewItemRouteKind = (typeof NEW_ITEM_ROUTES)[number];

export interface FusionConfig {
  /** `attention`: per-pair self-attention (main); `global`: one learned pair softmax(θ); `fixed`: (0.5, 0.5). */
  kind: FusionKind;
  /** d_a: width of the attention's queries and keys. */
  attentionDim: number;
  /** η_I: weight of the invariant branch's own UltraGCN loss. */
  etaInvariant: number;
  /** η_E: weight of the variant branch's own UltraGCN loss. */
  etaVariant: number;
  /** ρ: weight of Σ_e IRMv1_e(s_I) once the warm-up is over. */
  rho: number;
  /** Epochs with ρ = 0 at the start (InvRL preset: 20, docs/method.md#6-training-objective). */
  rhoWarmupEpochs: number;
  /** γ on ½‖θ‖² of the attention parameters. */
  attentionGamma: number;
  /** One projection for both branches (the authors' code) instead of W_I and W_E. */
  sharedProjection: boolean;
  /** Start e_u, V and the projections from the ERM backbone instead of a fresh initialisation. */
  warmStart: boolean;
  /** Epochs of the fused model (the backbone's own `epochs` apply to the ERM stage). */
  epochs: number;
  /** Adam learning rate of the final model; 0 keeps the backbone's (a warm start may want less). */
  lr: number;
  /**
   * Early stopping of the final model: evaluations without a better validation NDCG@20; 0 keeps the backbone's. A
   * warm-started final model peaks within a few epochs (on TikTok at epoch 2 or 4 in most fits), so a patience as
   * long as the backbone's (10 evaluations, 20 epochs) spends most of the stage after its best epoch.
   */
  patience: number;
  /**
   * How the final EIOR model scores items without train edges: `content` [ours] by the new-item route
   * (new-item-route.ts: the taste model on the mask's stable columns, α_I = 1) where the invariance stage found stable
   * columns, `model` by the fused model like any item (its untrained id row; InvRL's and the paper's behaviour).
   */
  newItems: NewItemRouteKind;
}

export interface EiorConfig {
  environments: EnvironmentConfig;
  mask: MaskConfig;
  fusion: FusionConfig;
}

/** InvRL's official settings (main.py): E = 10, 20 epochs a round, 10 rounds, 40 mask epochs, 5 alternations. */
export const INVRL_EIOR_PRESET: Readonly<EiorConfig> = Object.freeze({
  environments: { source: 'inferred', numEnvironments: 10, epochs: 20, maxRounds: 10, tolerance: 0.01, lr: 1e-3, maskL1: 1e-2, projectionGamma: 2e-2, standardizeScores: false },
  mask: { estimator: 'penalty', stabilityEpochs: 3, penalty: 'variance', alpha: 1, lambdaMu: 0.1, sigma: 0.01, epochs: 40, lr: 1e-3, projectionLr: 1e-3, projectionGamma: 2e-2, alternations: 5, growth: 1.05, batchSize: 0, binarize: false, binarizeSplit: 'half', userSide: 'feature', tasteEpochs: 5, contentOnly: false, muStep: 'adam', debias: false, linearSpread: false, rowScaledLambda: false },
  fusion: {
    kind: 'attention',
    attentionDim: 32,
    etaInvariant: 0.1,
    etaVariant: 0.1,
    rho: 1,
    rhoWarmupEpochs: 20,
    attentionGamma: 1e-4,
    sharedProjection: false,
    warmStart: false,
    epochs: 500,
    lr: 0,
    patience: 0,
    newItems: 'model',
  },
} satisfies EiorConfig);

/**
 * The budgeted settings behind `eior train` (the whole TikTok pipeline in about 10 minutes on 2 cores): fewer
 * inference epochs and rounds, two alternations, and the fused model warm-started from the ERM backbone so that
 * it needs tens of epochs, not hundreds. Each cut is a number here; INVRL_EIOR_PRESET keeps the official ones.
 * The warm-started fit runs at lr 5e-4 (a quarter of the backbone's 2e-3): at the backbone's rate it drifts from
 * the backbone's optimum after epoch 2; on TikTok, seeds 1-3, test Recall@20 0.0743 against 0.0726 at 2e-3.
 *
 * The invariance stage [ours], each change measured by `npm run bench:mask` on planted data (docs/method.md#3-invariant-part,
 * "Why the mask was flat"): time-window environments where the edges carry timestamps (InvRL's inference falls back
 * where they do not; on planted data it yields environments unrelated to the planted periods, Cramér's V 0.03);
 * the mask learner scores pairs by content alone (`contentOnly`), steps μ with one second moment for all columns
 * (`muStep: shared`), subtracts the sampling noise from the environments' gradient spread (`debias`), and learns
 * for 20 one-pass epochs on batches of 2048 edges per environment with its projection at lr 1e-2. 20 and not 40
 * (2026-12-06): with the sampled-softmax backbone, precision on planted data (default shape, seeds 1-3) was 0.500 /
 * 0.375 / 0.500 at 20 and 0.500 / 0.375 / 0.375 at 40, and TikTok's final validation NDCG@20 0.0445 against 0.0444,
 * for half the stage's time.
 *
 * The user side the environment models and the mask learner read is fitted by the stage itself on content alone
 * (`userSide: taste`, user-taste.ts) rather than taken from the backbone, whose γ_W 20 and ID pretraining leave
 * e_u_f near its random start; with it the penalty weighs against a data term that lifts the content columns, and
 * α is 0.3 (2026-12-06, planted data, seeds 1-3: precision 1.000 on all three of the default shape, 0.833 / 1.000 /
 * 1.000 on `widths`, 0.500 / 0.250 / 0.250 on `shift-noise`, against 0.500 / 0.375 / 0.500, 0.167 / 0.333 / 0.167 and
 * 0.125 / 0.125 before; α 1 puts every column below 0.5 and α 0 lifts the spurious ones with the invariant ones).
 *
 * Where the train edges carry timestamps the mask comes from the stability of the taste projection across time
 * windows instead (`estimator: stability`, column-stability.ts; 2026-12-07, figures in
 * docs/benchmarks/invariance.md, "The stability estimator"); the penalty's learner above runs where they do not.
 */
export const QUICK_EIOR_PRESET: Readonly<EiorConfig> = Object.freeze({
  environments: { ...INVRL_EIOR_PRESET.environments, source: 'time', epochs: 5, maxRounds: 3, standardizeScores: true },
  mask: { ...INVRL_EIOR_PRESET.mask, estimator: 'stability', alpha: 0.3, epochs: 20, lr: 1e-2, projectionLr: 1e-2, batchSize: 2048, alternations: 2, userSide: 'taste', contentOnly: true, muStep: 'shared', debias: true, rowScaledLambda: true },
  fusion: { ...INVRL_EIOR_PRESET.fusion, warmStart: true, rhoWarmupEpochs: 4, epochs: 30, lr: 5e-4, patience: 5, newItems: 'content' },
} satisfies EiorConfig);

type Rule = { min: number; max: number; integer?: boolean };
const ENV_RULES: Record<Exclude<keyof EnvironmentConfig, 'source' | 'standardizeScores'>, Rule> = {
  numEnvironments: { min: 1, max: 1000, integer: true },
  epochs: { min: 1, max: 10_000, integer: true },
  maxRounds: { min: 1, max: 1000, integer: true },
  tolerance: { min: 0, max: 1 },
  lr: { min: 1e-9, max: 10 },
  maskL1: { min: 0, max: 1e6 },
  projectionGamma: { min: 0, max: 1e6 },
};
const MASK_RULES: Record<Exclude<keyof MaskConfig, 'estimator' | 'penalty' | 'binarize' | 'binarizeSplit' | 'userSide' | 'contentOnly' | 'muStep' | 'debias' | 'linearSpread' | 'rowScaledLambda'>, Rule> = {
  alpha: { min: 0, max: 1e9 },
  lambdaMu: { min: 0, max: 1e9 },
  sigma: { min: 0, max: 10 },
  epochs: { min: 1, max: 10_000, integer: true },
  lr: { min: 1e-9, max: 10 },
  projectionLr: { min: 1e-9, max: 10 },
  projectionGamma: { min: 0, max: 1e6 },
  alternations: { min: 1, max: 100, integer: true },
  growth: { min: 0, max: 100 },
  batchSize: { min: 0, max: 1 << 20, integer: true },
  tasteEpochs: { min: 1, max: 10_000, integer: true },
  stabilityEpochs: { min: 1, max: 10_000, integer: true },
};
const FUSION_RULES: Record<Exclude<keyof FusionConfig, 'kind' | 'sharedProjection' | 'warmStart' | 'newItems'>, Rule> = {
  attentionDim: { min: 1, max: 4096, integer: true },
  etaInvariant: { min: 0, max: 1e6 },
  etaVariant: { min: 0, max: 1e6 },
  rho: { min: 0, max: 1e9 },
  rhoWarmupEpochs: { min: 0, max: 1_000_000, integer: true },
  attentionGamma: { min: 0, max: 1e3 },
  epochs: { min: 1, max: 1_000_000, integer: true },
  lr: { min: 0, max: 10 },
  patience: { min: 0, max: 1_000_000, integer: true },
};

function checkNumbers(section: string, values: object, rules: Record<string, Rule>): void {
  for (const [key, rule] of Object.entries(rules)) {
    const v: unknown = (values as Record<string, unknown>)[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= rule.min && v <= rule.max && (!rule.integer || Number.isInteger(v));
    if (!ok) throw new InvalidConfigError(`${section}.${key}`, v, `${rule.integer ? 'an integer' : 'a number'} >= ${rule.min} and <= ${rule.max}`);
  }
}

/** Throws an InvalidConfigError naming the first bad value and what was expected. */
export function validateEiorConfig(config: EiorConfig): EiorConfig {
  const { environments, mask, fusion } = config;
  if (!(ENVIRONMENT_SOURCES as readonly string[]).includes(environments.source)) {
    throw new InvalidConfigError('environments.source', environments.source, ENVIRONMENT_SOURCES.join(' or '));
  }
  checkNumbers('environments', environments, ENV_RULES);
  if (typeof environments.standardizeScores !== 'boolean') throw new InvalidConfigError('environments.standardizeScores', environments.standardizeScores, 'true or false');
  if (!(INVARIANCE_PENALTIES as readonly string[]).includes(mask.penalty)) {
    throw new InvalidConfigError('mask.penalty', mask.penalty, INVARIANCE_PENALTIES.join(', '));
  }
  if (!(MASK_ESTIMATORS as readonly string[]).includes(mask.estimator)) throw new InvalidConfigError('mask.estimator', mask.estimator, MASK_ESTIMATORS.join(' or '));
  checkNumbers('mask', mask, MASK_RULES);
  for (const key of ['binarize', 'contentOnly', 'debias', 'linearSpread', 'rowScaledLambda'] as const) {
    if (typeof mask[key] !== 'boolean') throw new InvalidConfigError(`mask.${key}`, mask[key], 'true or false');
  }
  if (!(MASK_SPLITS as readonly string[]).includes(mask.binarizeSplit)) throw new InvalidConfigError('mask.binarizeSplit', mask.binarizeSplit, MASK_SPLITS.join(' or '));
  if (!(MASK_USER_SIDES as readonly string[]).includes(mask.userSide)) throw new InvalidConfigError('mask.userSide', mask.userSide, MASK_USER_SIDES.join(' or '));
  if (mask.estimator === 'stability' && mask.userSide !== 'taste') {
    throw new InvalidConfigError('mask.userSide', mask.userSide, "taste with mask.estimator stability (it refits the taste model's projection)");
  }
  if (!(MASK_MU_STEPS as readonly string[]).includes(mask.muStep)) throw new InvalidConfigError('mask.muStep', mask.muStep, MASK_MU_STEPS.join(' or '));
  if (!(FUSION_KINDS as readonly string[]).includes(fusion.kind)) throw new InvalidConfigError('fusion.kind', fusion.kind, `${FUSION_KINDS.slice(0, -1).join(', ')} or ${FUSION_KINDS[FUSION_KINDS.length - 1]}`);
  checkNumbers('fusion', fusion, FUSION_RULES);
  if (!(NEW_ITEM_ROUTES as readonly string[]).includes(fusion.newItems)) throw new InvalidConfigError('fusion.newItems', fusion.newItems, NEW_ITEM_ROUTES.join(' or '));
  for (const key of ['sharedProjection', 'warmStart'] as const) {
    if (typeof fusion[key] !== 'boolean') throw new InvalidConfigError(`fusion.${key}`, fusion[key], 'true or false');
  }
  return config;
}

/** A preset with some sections overridden, validated. */
export function resolveEiorConfig(
  overrides: { environments?: Partial<EnvironmentConfig>; mask?: Partial<MaskConfig>; fusion?: Partial<FusionConfig> } = {},
  base: Readonly<EiorConfig> = QUICK_EIOR_PRESET,
): EiorConfig {
  return validateEiorConfig({
    environments: { ...base.environments, ...overrides.environments },
    mask: { ...base.mask, ...overrides.mask },
    fusion: { ...base.fusion, ...overrides.fusion },
  });
}
