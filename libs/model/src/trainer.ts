// The training loop (docs/method.md#8-evaluation): epochs of shuffled batches with sampled negatives, validation every
// `evalEvery` epochs, early stopping on validation NDCG@20 with patience, best epoch's weights kept, then test.
import { RankingEvaluator, type EvaluationResult, type PerUserMetrics } from './evaluate';
import type { EvalProtocol, MetricsAtK } from './metrics';
import type { Random } from './random';
import { shuffledBatches, type NegativeSampler } from './sampler';
import type { RecDataset, TrainableRecModel, WeightSnapshot } from './types';

export interface TrainProgress {
  /** 1-based */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch */
  step: number;
  steps: number;
  /** Mean total loss per positive pair over this epoch's steps so far. */
  loss: number;
  /** Positive pairs per second over this epoch so far. */
  samplesPerSecond: number;
  elapsedSeconds: number;
  /** Estimate for the remaining steps of all epochs (early stopping may end sooner). */
  remainingSeconds: number;
}

export interface EpochRecord {
  epoch: number;
  /** Mean per positive pair of L, L_L and L_I (L_I before λ) over the epoch. */
  loss: number;
  lossL: number;
  lossI: number;
  /** Seconds of training (without evaluation) and positive pairs per second. */
  seconds: number;
  samplesPerSecond: number;
  /** Validation metrics by K, on the epochs that were evaluated. */
  valid?: Record<number, MetricsAtK>;
  evalSeconds?: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Evaluations without improvement of validation NDCG@`selectionK` before stopping. */
  patience: number;
  evalEvery: number;
  protocol?: EvalProtocol;
  ks?: readonly number[];
  /** K of the NDCG that selects the best epoch (default 20). */
  selectionK?: number;
  /** Called every `progressEvery` steps and at the end of each epoch. */
  onProgress?: (progress: TrainProgress) => void;
  progressEvery?: number;
  onEpoch?: (record: EpochRecord) => void;
  /** Checked after every epoch: true ends training there (a tuning's deadline), with `interrupted` set. */
  stopWhen?: () => boolean;
  /**
   * Evaluate the model before the first step too, so its starting point can be the one kept (bestEpoch 0) when no
   * epoch beats it on validation: for a start that is a ranking in itself (UltraGCN's popularityInit).
   */
  evaluateStart?: boolean;
}

export interface TrainResult {
  curve: EpochRecord[];
  /** The epoch whose weights the model holds at the end (the last one when nothing was validated; 0: the start). */
  bestEpoch: number;
  bestValid: Record<number, MetricsAtK> | null;
  /** The best evaluation's values per validation user (the paired bootstrap of a lift reads them); null as bestValid. */
  bestValidPerUser: PerUserMetrics | null;
  /** With `perUser` set (every test user's values). */
  test: EvaluationResult;
  stoppedEarly: boolean;
  /** True when `stopWhen` ended training before its epochs or early stopping did. */
  interrupted: boolean;
}

const now = (): number => performance.now() / 1000;

/** Fits `model` on `dataset.train`, selects on `dataset.valid`, reports on `dataset.test`. */
export async function trainModel(
  model: TrainableRecModel,
  dataset: RecDataset,
  sampler: NegativeSampler,
  rng: Random,
  options: TrainOptions,
): Promise<TrainResult> {
  const { epochs, batchSize, patience, evalEvery } = options;
  const selectionK = options.selectionK ?? 20;
  const ks = [...new Set([...(options.ks ?? [10, 20]), selectionK])].sort((a, b) => a - b);
  // per-user values too: a few typed arrays per evaluation, so the lift over popularity can be given an interval
  const evalOptions = { ks, protocol: options.protocol ?? 'standard', perUser: true };
  const progressEvery = options.progressEvery ?? 10;
  const validator = new RankingEvaluator(dataset.numUsers, dataset.numItems, dataset.train, dataset.valid);
  const pairs = dataset.train.users.length;
  const steps = Math.ceil(pairs / batchSize);
  const curve: EpochRecord[] = [];
  let best: { epoch: number; ndcg: number; weights: WeightSnapshot; valid: Record<number, MetricsAtK>; perUser: PerUserMetrics } | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  let interrupted = false;
  let trainSeconds = 0;
  let stepsDone = 0;
  const start = now();
  if (options.evaluateStart && validator.users.length > 0) {
    const { atK: valid, perUser } = validator.evaluate(model, evalOptions);
    best = { epoch: 0, ndcg: valid[selectionK].ndcg, weights: model.getWeights(), valid, perUser: perUser! };
  }

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = now();
    let step = 0;
    let seen = 0;
    const sums = { total: 0, lossL: 0, lossI: 0 };
    model.startEpoch?.(epoch);
    for (const batch of shuffledBatches(dataset.train, batchSize, sampler, rng)) {
      const loss = model.trainStep(batch);
      step++;
      stepsDone++;
      seen += batch.users.length;
      sums.total += loss.total;
      sums.lossL += loss.lossL;
      sums.lossI += loss.lossI;
      if (options.onProgress && (step % progressEvery === 0 || step === steps)) {
        const elapsed = now() - epochStart;
        const perStep = (trainSeconds + elapsed) / stepsDone;
        options.onProgress({
          epoch,
          epochs,
          step,
          steps,
          loss: sums.total / seen,
          samplesPerSecond: seen / Math.max(elapsed, 1e-9),
          elapsedSeconds: now() - start,
          remainingSeconds: perStep * (steps * epochs - stepsDone),
        });
      }
    }
    const seconds = now() - epochStart;
    trainSeconds += seconds;
    const record: EpochRecord = {
      epoch,
      loss: sums.total / pairs,
      lossL: sums.lossL / pairs,
      lossI: sums.lossI / pairs,
      seconds,
      samplesPerSecond: pairs / Math.max(seconds, 1e-9),
    };
    if (validator.users.length > 0 && (epoch % evalEvery === 0 || epoch === epochs)) {
      const evalStart = now();
      const { atK: valid, perUser } = validator.evaluate(model, evalOptions);
      record.valid = valid;
      record.evalSeconds = now() - evalStart;
      const ndcg = valid[selectionK].ndcg;
      if (best === null || ndcg > best.ndcg) {
        best = { epoch, ndcg, weights: model.getWeights(), valid, perUser: perUser! };
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        stoppedEarly = true;
      }
    }
    curve.push(record);
    options.onEpoch?.(record);
    if (stoppedEarly) break;
    if (epoch < epochs && options.stopWhen?.()) {
      interrupted = true;
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // let timers and signals run between epochs
  }

  if (best) model.setWeights(best.weights);
  const tester = new RankingEvaluator(dataset.numUsers, dataset.numItems, dataset.train, dataset.test);
  return {
    curve,
    bestEpoch: best ? best.epoch : curve.length,
    bestValid: best ? best.valid : null,
    bestValidPerUser: best ? best.perUser : null,
    test: tester.evaluate(model, evalOptions),
    stoppedEarly,
    interrupted,
  };
}
