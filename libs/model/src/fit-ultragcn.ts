// One call from a dataset and a config to a trained UltraGCN and its figures: the graph statistics, the seeded
// generator, the sampler and the training loop wired together as docs/method.md#1-backbone and #8-evaluation describe.
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import { metricTable } from './artifacts/metric-table';
import type { EvalProtocol } from './metrics';
import { Random } from './random';
import { NegativeSampler } from './sampler';
import type { FeatureDotStrategy } from './sparse-ops';
import { trainModel, type EpochRecord, type TrainProgress, type TrainResult } from './trainer';
import type { RecDataset, WeightSnapshot } from './types';
import { UltraGcn } from './ultragcn';

export interface FitOptions {
  onProgress?: (progress: TrainProgress) => void;
  progressEvery?: number;
  onEpoch?: (record: EpochRecord) => void;
  protocol?: EvalProtocol;
  featureDotStrategy?: FeatureDotStrategy;
  /** See UltraGcnOptions.kernels. */
  kernels?: 'auto' | 'js';
  /** See TrainOptions.stopWhen. */
  stopWhen?: () => boolean;
}

export interface FitResult {
  /** The trained model holding the best validation epoch's weights; the caller disposes it. */
  model: UltraGcn;
  result: TrainResult;
  /** With config.idPretrain (and features): the ID-only run the model started from. */
  pretrain?: TrainResult;
}

/**
 * Trains UltraGCN on `dataset` with `config`; everything random comes from `config.seed`. With `idPretrain` (and
 * features) the ID-only model is trained first and the multimodal one starts from it (docs/method.md#id-pretraining).
 */
export async function fitUltraGcn(dataset: RecDataset, config: UltraGcnConfig, options: FitOptions = {}): Promise<FitResult> {
  validateUltraGcnConfig(config);
  const rng = new Random(config.seed);
  if (!config.useFeatures || !config.idPretrain) return fitWith(dataset, config, rng, options, null);
  const idOnly = await fitWith(dataset, { ...config, useFeatures: false, idPretrain: false }, rng, options, null);
  let start: WeightSnapshot;
  try {
    start = idOnly.model.getWeights();
  } finally {
    idOnly.model.dispose();
  }
  // a stop asked for during the ID-only run ends the multimodal one after its first epoch; epoch 0 (the start) may stay
  const fit = await fitWith(dataset, { ...config, patience: config.featurePatience || config.patience }, rng, options, start);
  return { ...fit, pretrain: idOnly.result };
}

/** One training run; `start` (ID-only weights) sets the ID half before the first step and is evaluated as epoch 0. */
async function fitWith(dataset: RecDataset, config: UltraGcnConfig, rng: Random, options: FitOptions, start: WeightSnapshot | null): Promise<{ model: UltraGcn; result: TrainResult }> {
  const model = new UltraGcn(dataset, config, { rng, featureDotStrategy: options.featureDotStrategy, kernels: options.kernels });
  try {
    if (start) model.startFromIdModel(start);
    const sampler = new NegativeSampler(
      { numItems: dataset.numItems, negativeNum: config.negativeNum, excludePositives: config.excludePositives, userItems: model.stats.userItems },
      rng,
    );
    const result = await trainModel(model, dataset, sampler, rng, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      patience: config.patience,
      evalEvery: config.evalEvery,
      protocol: options.protocol,
      onProgress: options.onProgress,
      progressEvery: options.progressEvery,
      onEpoch: options.onEpoch,
      stopWhen: options.stopWhen,
      evaluateStart: config.popularityInit || start !== null,
    });
    return { model, result };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The ID-only run an idPretrain model started from, as a version's manifest keeps it (`extra.pretrain`; no curve). */
export function pretrainSummary(pretrain: TrainResult): { bestEpoch: number; epochs: number; valid: Record<string, number> } {
  return { bestEpoch: pretrain.bestEpoch, epochs: pretrain.curve.length, valid: metricTable(pretrain.bestValid) };
}
