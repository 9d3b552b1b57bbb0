// One call from a dataset and a config to a trained UltraGCN and its figures: the graph statistics, the seeded
// generator, the sampler and the training loop wired together as docs/method.md#1-backbone and #8-evaluation describe.
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import type { EvalProtocol } from './metrics';
import { Random } from './random';
import { NegativeSampler } from './sampler';
import type { FeatureDotStrategy } from './sparse-ops';
import { trainModel, type EpochRecord, type TrainProgress, type TrainResult } from './trainer';
import type { RecDataset } from './types';
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
}

/** Trains UltraGCN on `dataset` with `config`; everything random comes from `config.seed`. */
export async function fitUltraGcn(dataset: RecDataset, config: UltraGcnConfig, options: FitOptions = {}): Promise<FitResult> {
  validateUltraGcnConfig(config);
  const rng = new Random(config.seed);
  const model = new UltraGcn(dataset, config, { rng, featureDotStrategy: options.featureDotStrategy, kernels: options.kernels });
  try {
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
      evaluateStart: config.popularityInit,
    });
    return { model, result };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
