// The EIOR pipeline (docs/method.md#2-environments to #6-training-objective), in stages whose times are reported:
//   1. the ERM backbone: multimodal UltraGCN (also the "UltraGCN with features" row of the experiment grid);
//   2. invariance: InvRL's alternation of environment inference and mask learning on the frozen backbone
//      (or time-window environments and one mask learning, or the stability of the taste projection across time
//      windows, column-stability.ts);
//   3. the final model: InvRL (x ⊙ m), variant only (x ⊙ (1 − m)) or EIOR (both branches, fused).
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import { EiorModel } from './eior';
import { learnStableMask, windowLadder } from './column-stability';
import { validateEiorConfig, type EiorConfig, type MaskConfig, type MaskEstimator } from './eior-config';
import { inferEnvironments, timeWindowEnvironments, userEnvironments, type EnvironmentRound } from './environments';
import { buildItemFeatures } from './features';
import { computeGraphStats, type GraphStats } from './graph-stats';
import { fitUltraGcn, type FitOptions } from './fit-ultragcn';
import { freezeBackbone } from './frozen-backbone';
import { binarizeMask, learnMask, type MaskEpoch } from './invariant-mask';
import { planNewItemRoute } from './new-item-route';
import { Random } from './random';
import { NegativeSampler } from './sampler';
import { trainModel, type TrainResult } from './trainer';
import type { RecDataset, TrainableRecModel, WeightSnapshot } from './types';
import { UltraGcn } from './ultragcn';
import { fitUserTaste, type TasteSettings, type UserTaste } from './user-taste';

export const EIOR_MODEL_KINDS = ['invrl', 'variant', 'eior'] as const;
export type EiorModelKind = (typeof EIOR_MODEL_KINDS)[number];

export interface StageTime {
  stage: string;
  seconds: number;
}

/** What the invariance stage learned: environments of the train edges and the feature mask. */
export interface Invariance {
  /** `inferred`, or `time` when time windows were asked for and the edges carry timestamps. */
  source: 'inferred' | 'time';
  /** What found the mask: `stability` where it was asked for and the edges carry timestamps, else `penalty`. */
  estimator: MaskEstimator;
  numEnvironments: number;
  /** Environment of each train edge. */
  assignment: Int32Array;
  /** Each user's environment (most of the user's train edges), -1 for users without train edges. */
  userEnvironment: Int32Array;
  /** m ∈ [0, 1]^d over the columns of x: what the final models use. */
  mask: Float32Array;
  /** The mask as learned, before `mask.binarize` rounds it (the same as `mask` without it). */
  learnedMask: Float32Array;
  /**
   * The content projection W [d, featureDim] the last mask was learned with (the taste fit's pooled one with the
   * stability estimator; all zeros without a mask stage run).
   */
  learnedProjection: Float32Array;
  /** With `mask.userSide: taste`, the user vectors and projection the stage fitted on content; null otherwise. */
  taste: UserTaste | null;
  rounds: EnvironmentRound[][];
  maskEpochs: MaskEpoch[][];
}

export interface EiorProgress {
  stage: string;
  message: string;
}

export interface EiorFitOptions extends FitOptions {
  /** Train timestamps, one per train edge, for time-window environments. */
  trainTimestamps?: Float64Array;
  onStage?: (progress: EiorProgress) => void;
}

export interface BackboneStage {
  weights: WeightSnapshot;
  result: TrainResult;
  /** With config.idPretrain: the ID-only run the backbone started from. */
  pretrain?: TrainResult;
  config: UltraGcnConfig;
  seconds: number;
}

/**
 * Stage 1: the ERM backbone, multimodal UltraGCN trained with early stopping. With the user-history term on, its
 * e'_u are folded into the user table and the later stages run without the term (docs/method.md#user-history).
 */
export async function fitBackbone(dataset: RecDataset, backbone: UltraGcnConfig, options: EiorFitOptions = {}): Promise<BackboneStage> {
  const started = performance.now();
  const config = validateUltraGcnConfig({ ...backbone, useFeatures: true });
  const { model, result, pretrain } = await fitUltraGcn(dataset, config, options);
  try {
    const folded = { ...config, userHistoryWeight: 0 };
    return { weights: model.foldedWeights(), result, pretrain, config: folded, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}

/** Stage 2: environments and mask, alternated as InvRL does (α and λ_m grow by `growth` after each alternation). */
export async function learnInvariance(
  dataset: RecDataset,
  backbone: BackboneStage,
  eior: EiorConfig,
  options: EiorFitOptions = {},
): Promise<Invariance> {
  validateEiorConfig(eior);
  const cfg = backbone.config;
  const rng = new Random(cfg.seed + 1);
  const x = buildItemFeatures(dataset.numItems, dataset.features, { center: cfg.centerFeatures });
  const stats = computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, cfg);
  const userSide = eior.mask.userSide === 'whole' ? 'whole' : 'feature';
  const frozen = freezeBackbone(backbone.weights, cfg, x, stats, cfg, { rows: Math.max(cfg.batchSize, eior.mask.batchSize), slots: 1 + cfg.negativeNum }, userSide);
  const sampler = new NegativeSampler({ numItems: dataset.numItems, negativeNum: cfg.negativeNum, excludePositives: cfg.excludePositives, userItems: stats.userItems }, rng);
  const maskBatchSize = eior.mask.batchSize || cfg.batchSize;
  let taste: UserTaste | null = null;
  if (eior.mask.userSide === 'taste') {
    taste = await fitUserTaste(frozen, dataset.train, sampler, rng, tasteSettings(eior.mask, maskBatchSize), (e) =>
      options.onStage?.({ stage: 'mask', message: `user taste, epoch ${e.epoch}: loss ${e.loss.toFixed(4)}` }),
    );
    frozen.userFeature = taste.users;
  }
  const E = eior.environments.numEnvironments;
  const timed = eior.environments.source === 'time' && options.trainTimestamps ? timeWindowEnvironments(options.trainTimestamps, E) : null;
  if (eior.environments.source === 'time' && !timed) options.onStage?.({ stage: 'environments', message: 'the train edges carry no timestamps: inferring environments instead' });
  let assignment = timed ?? new Int32Array(dataset.train.users.length);
  let mask: Float32Array = new Float32Array(x.width);
  let learnedMask = mask;
  let learnedProjection: Float32Array = new Float32Array(x.width * cfg.featureDim);
  let alpha = eior.mask.alpha;
  let lambdaMu = eior.mask.lambdaMu;
  const rounds: EnvironmentRound[][] = [];
  const maskEpochs: MaskEpoch[][] = [];
  const alternations = timed ? 1 : eior.mask.alternations;
  let estimator: MaskEstimator = 'penalty';
  if (eior.mask.estimator === 'stability' && timed && taste && options.trainTimestamps) {
    const stable = await learnStableMask(
      {
        backbone: frozen,
        taste,
        train: dataset.train,
        timestamps: options.trainTimestamps,
        sampler,
        rng,
        settings: { ...tasteSettings(eior.mask, maskBatchSize), epochs: eior.mask.stabilityEpochs },
        onResolution: ({ windows, seconds }) => options.onStage?.({ stage: 'mask', message: `stability, ${windows} time windows (${seconds.toFixed(1)} s)` }),
      },
      windowLadder(E),
    );
    if (stable) {
      estimator = 'stability';
      learnedMask = stable.mask;
      learnedProjection = taste.projection.slice();
      mask = eior.mask.binarize ? binarizeMask(stable.mask, eior.mask.binarizeSplit) : stable.mask;
    } else {
      options.onStage?.({ stage: 'mask', message: 'the timestamps make no two time windows: the mask is learned against the penalty instead' });
    }
  } else if (eior.mask.estimator === 'stability') {
    const why = eior.environments.source === 'time' ? 'the train edges carry no timestamps' : 'the environments are inferred (environments.source)';
    options.onStage?.({ stage: 'mask', message: `${why}: the mask is learned against the penalty on the stage's environments instead` });
  }
  // the penalty's learner, alternated with environment inference where the environments are inferred
  const penaltyRounds = estimator === 'stability' ? 0 : alternations;
  for (let ite = 1; ite <= penaltyRounds; ite++) {
    if (!timed) {
      const inferred = await inferEnvironments(
        {
          backbone: frozen,
          train: dataset.train,
          sampler,
          rng,
          batchSize: cfg.batchSize,
          mask,
          onRound: (r) => options.onStage?.({ stage: 'environments', message: `alternation ${ite}, round ${r.round}: ${r.moved} edges moved, sizes ${r.sizes.join('/')} (${r.seconds.toFixed(1)} s)` }),
        },
        eior.environments,
      );
      assignment = inferred.assignment;
      rounds.push(inferred.rounds);
    }
    const learned = await learnMask(
      {
        backbone: frozen,
        train: dataset.train,
        sampler,
        rng,
        batchSize: maskBatchSize,
        onEpoch: (e) => options.onStage?.({ stage: 'mask', message: `alternation ${ite}, epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, penalty ${e.penalty.toExponential(3)}, kept ${(100 * e.kept).toFixed(1)} %` }),
      },
      eior.mask,
      assignment,
      E,
      { alpha, lambdaMu },
    );
    learnedMask = learned.mask;
    learnedProjection = learned.projection;
    mask = eior.mask.binarize ? binarizeMask(learned.mask, eior.mask.binarizeSplit) : learned.mask;
    maskEpochs.push(learned.epochs);
    alpha *= eior.mask.growth;
    lambdaMu *= eior.mask.growth;
  }
  frozen.table.dispose();
  return {
    source: timed ? 'time' : 'inferred',
    estimator,
    numEnvironments: E,
    assignment,
    userEnvironment: userEnvironments(dataset.numUsers, dataset.train, assignment, E),
    mask,
    learnedMask,
    learnedProjection,
    taste,
    rounds,
    maskEpochs,
  };
}

export interface FinalFit {
  model: TrainableRecModel & { dispose(): void };
  result: TrainResult;
  seconds: number;
  /** The EIOR kind with `fusion.newItems: content`: why the model has no new-item route, null when it has one. */
  newItemRouteAbsence?: string | null;
}

/** The user-taste fit's settings from the mask's (`batchSize`: the mask's, the backbone's when it is 0). */
export function tasteSettings(mask: MaskConfig, batchSize: number): TasteSettings {
  return { epochs: mask.tasteEpochs, batchSize, lr: mask.projectionLr, gamma: mask.projectionGamma };
}

/** Stage 3: the final model of `kind` on the learned mask, trained with early stopping on validation NDCG@20. */
export async function fitFinal(
  kind: EiorModelKind,
  dataset: RecDataset,
  backbone: BackboneStage,
  eior: EiorConfig,
  invariance: Invariance,
  options: EiorFitOptions = {},
): Promise<FinalFit> {
  const started = performance.now();
  const { fusion } = eior;
  const cfg = fusion.lr > 0 ? { ...backbone.config, lr: fusion.lr } : backbone.config;
  const rng = new Random(cfg.seed + 2);
  let model: TrainableRecModel & { stats: GraphStats };
  let newItemRouteAbsence: string | null | undefined;
  if (kind === 'eior') {
    const plan = fusion.newItems === 'content' ? planNewItemRoute(dataset.numItems, dataset.train, invariance, cfg.featureDim) : null;
    newItemRouteAbsence = plan?.absence;
    const eiorModel = new EiorModel(dataset, cfg, fusion, invariance.mask, {
      rng,
      environments: { assignment: invariance.assignment, count: invariance.numEnvironments },
      newItems: plan?.route ?? undefined,
    });
    if (fusion.warmStart) eiorModel.warmStart(backbone.weights);
    model = eiorModel;
  } else {
    const featureMask = kind === 'invrl' ? invariance.mask : Float32Array.from(invariance.mask, (m) => 1 - m);
    const branch = kind === 'invrl' ? 'invariant' : 'variant';
    const ug = new UltraGcn(dataset, cfg, { rng, featureMask, branch, featureDotStrategy: options.featureDotStrategy, kernels: options.kernels });
    if (fusion.warmStart) ug.setWeights(backbone.weights);
    model = ug;
  }
  try {
    const sampler = new NegativeSampler({ numItems: dataset.numItems, negativeNum: cfg.negativeNum, excludePositives: cfg.excludePositives, userItems: model.stats.userItems }, rng);
    const result = await trainModel(model, dataset, sampler, rng, {
      epochs: fusion.epochs,
      batchSize: cfg.batchSize,
      patience: fusion.patience > 0 ? fusion.patience : cfg.patience,
      evalEvery: cfg.evalEvery,
      protocol: options.protocol,
      onProgress: options.onProgress,
      progressEvery: options.progressEvery,
      onEpoch: options.onEpoch,
    });
    return { model, result, seconds: (performance.now() - started) / 1000, ...(newItemRouteAbsence !== undefined ? { newItemRouteAbsence } : {}) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
