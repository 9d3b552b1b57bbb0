// The staged pipeline behind the kinds invrl, variant and eior, assembled (docs/method.md#6-training-objective):
// the ERM backbone, the invariance stage (environments and feature mask), the final model; then each
// environment's test figures and what a model version keeps: the final model's weights with their shapes, the
// extra weights (artifacts/extra-weights.ts), the config and the manifest's `extra` (stage times, environments,
// mask, the backbone's figures) and its explanation health. The stages themselves are in fit-eior.ts; `eior train` reports the events.
import { metricTable } from './artifacts/metric-table';
import type { MetricTable } from './artifacts/manifest';
import { packExtraWeights } from './artifacts/extra-weights';
import type { UltraGcnConfig } from './config';
import { EiorModel } from './eior';
import type { EiorConfig, MaskEstimator } from './eior-config';
import { environmentRecords, type EnvironmentSummary } from './environment-figures';
import { computeExplanationHealth, type ExplanationHealth } from './explanation-health';
import type { Calibration, NewItemRoute } from './new-item-route';
import { RankingEvaluator } from './evaluate';
import { fitBackbone, fitFinal, learnInvariance, type EiorModelKind, type EiorProgress, type Invariance, type StageTime } from './fit-eior';
import { pretrainSummary, type FitOptions } from './fit-ultragcn';
import type { EvalProtocol } from './metrics';
import type { InvarianceModelConfig } from './restore';
import type { TrainResult } from './trainer';
import type { RecDataset } from './types';

export type PipelineStage = 'backbone' | 'invariance' | 'final';

/** The mask in three figures: its columns, the share kept (m > 0.5) and its mean. */
export interface MaskSummary {
  columns: number;
  kept: number;
  mean: number;
}

/** What the invariance stage learned, in a few figures. */
export interface InvarianceSummary {
  environments: { source: 'inferred' | 'time'; count: number; sizes: number[] };
  /** What found the mask (Invariance.estimator). */
  estimator: MaskEstimator;
  mask: MaskSummary;
}

/** What the pipeline reports as it goes: each stage's start and end, and the steps inside the invariance stage. */
export type PipelineEvent =
  | { type: 'stage-start'; stage: PipelineStage }
  | { type: 'fit-end'; stage: 'backbone' | 'final'; seconds: number; result: TrainResult; pretrain?: TrainResult }
  | { type: 'invariance-end'; seconds: number; invariance: Invariance; summary: InvarianceSummary }
  | { type: 'step'; progress: EiorProgress };

export interface EiorPipelineOptions {
  protocol?: EvalProtocol;
  /** One per train edge, for time-window environments. */
  trainTimestamps?: Float64Array;
  /** Epoch callbacks of the two fitting stages. */
  backbone?: Pick<FitOptions, 'onProgress' | 'onEpoch'>;
  final?: Pick<FitOptions, 'onProgress' | 'onEpoch'>;
  onEvent?: (event: PipelineEvent) => void;
}

/** A finished run: everything a model version, its report and the graph's environments need. */
export interface EiorPipelineRun {
  config: InvarianceModelConfig;
  /** The final model's weights and the extra weights, with their shapes, for ArtifactStore.save. */
  weights: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** The final model's training (best epoch, curve, early stop). */
  result: TrainResult;
  valid: MetricTable;
  test: MetricTable;
  stages: StageTime[];
  summary: InvarianceSummary;
  /** The manifest's `extra`: stage times, environments (with the rounds of each alternation), mask, new items, backbone figures. */
  extra: Record<string, unknown>;
  /** The EIOR kind with `fusion.newItems: content`: the new-item route's account; absent otherwise. */
  newItems?: NewItemsSummary;
  environments: EnvironmentSummary[];
  /** Each user's environment, -1 for none. */
  userEnvironment: Int32Array;
  /** The final model's explanation health (explanation-health.ts), for the manifest and the graph's run. */
  health: ExplanationHealth;
}

/** Runs the three stages on `dataset` with the backbone's UltraGCN config and the EIOR config, and packs the result. */
export async function trainEiorPipeline(
  kind: EiorModelKind,
  dataset: RecDataset,
  backboneConfig: UltraGcnConfig,
  eior: EiorConfig,
  options: EiorPipelineOptions = {},
): Promise<EiorPipelineRun> {
  const { protocol } = options;
  const emit = (event: PipelineEvent): void => options.onEvent?.(event);

  emit({ type: 'stage-start', stage: 'backbone' });
  const backbone = await fitBackbone(dataset, backboneConfig, { protocol, ...options.backbone });
  emit({ type: 'fit-end', stage: 'backbone', seconds: backbone.seconds, result: backbone.result, pretrain: backbone.pretrain });

  emit({ type: 'stage-start', stage: 'invariance' });
  const invarianceStart = performance.now();
  const invariance = await learnInvariance(dataset, backbone, eior, {
    protocol,
    trainTimestamps: options.trainTimestamps,
    onStage: (progress) => emit({ type: 'step', progress }),
  });
  const invarianceSeconds = (performance.now() - invarianceStart) / 1000;
  const sizes = environmentSizes(invariance);
  const summary: InvarianceSummary = { environments: { source: invariance.source, count: invariance.numEnvironments, sizes }, estimator: invariance.estimator, mask: maskSummary(invariance.mask) };
  emit({ type: 'invariance-end', seconds: invarianceSeconds, invariance, summary });

  emit({ type: 'stage-start', stage: 'final' });
  const fit = await fitFinal(kind, dataset, backbone, eior, invariance, { protocol, ...options.final });
  emit({ type: 'fit-end', stage: 'final', seconds: fit.seconds, result: fit.result });

  try {
    const perUser = new RankingEvaluator(dataset.numUsers, dataset.numItems, dataset.train, dataset.test).evaluate(fit.model, { protocol, perUser: true }).perUser;
    const fused = fit.model instanceof EiorModel ? fit.model : null;
    const environments = environmentRecords({
      numEnvironments: invariance.numEnvironments,
      assignment: invariance.assignment,
      userEnvironment: invariance.userEnvironment,
      perUser: perUser!,
      test: dataset.test,
      invariantWeight: fused ? (u, i) => fused.explain(u, i).invariantWeight : null,
    });
    const health = computeExplanationHealth(fit.model, dataset, {
      seed: backboneConfig.seed,
      mask: invariance.mask,
      learnedMask: invariance.learnedMask,
      featureMask: kind === 'invrl' ? invariance.mask : kind === 'variant' ? Float32Array.from(invariance.mask, (m) => 1 - m) : undefined,
    });
    const weights = new Map(fit.model.getWeights());
    const shapes = fit.model.weightShapes();
    const route = fused?.newItemRoute ?? null;
    packExtraWeights(weights, shapes, invariance, route?.currentCalibration ? route.pack() : []);
    const newItems = fit.newItemRouteAbsence !== undefined ? newItemsSummary(route, fit.newItemRouteAbsence) : undefined;
    const stages: StageTime[] = [
      { stage: 'backbone', seconds: backbone.seconds },
      { stage: 'invariance', seconds: invarianceSeconds },
      { stage: 'final', seconds: fit.seconds },
    ];
    return {
      config: { backbone: backbone.config, eior },
      weights,
      shapes,
      result: fit.result,
      valid: metricTable(fit.result.bestValid),
      test: metricTable(fit.result.test.atK),
      stages,
      summary,
      extra: {
        stages,
        environments: { ...summary.environments, rounds: invariance.rounds.map((r) => r.length) },
        mask: summary.mask,
        ...(newItems ? { newItems } : {}),
        backbone: {
          bestEpoch: backbone.result.bestEpoch,
          epochs: backbone.result.curve.length,
          valid: metricTable(backbone.result.bestValid),
          test: metricTable(backbone.result.test.atK),
          ...(backbone.pretrain ? { pretrain: pretrainSummary(backbone.pretrain) } : {}),
        },
      },
      environments,
      userEnvironment: invariance.userEnvironment,
      health,
      ...(newItems ? { newItems } : {}),
    };
  } finally {
    fit.model.dispose();
  }
}

/** The manifest's account of the new-item route (docs/method.md#new-items). */
export type NewItemsSummary =
  | { route: 'content'; items: number; stableColumns: number; calibration: Calibration }
  | { route: 'model'; reason: string };

/** How many items the route scores, with how many stable columns and which calibration, or why the version has none. */
export function newItemsSummary(route: NewItemRoute | null, absence: string | null): NewItemsSummary {
  const calibration = route?.currentCalibration ?? null;
  if (!route || !calibration) return { route: 'model', reason: absence ?? 'the content score did not order the fused ratings (calibration slope not positive)' };
  const stableColumns = route.parts.stableMask.reduce((a, m) => a + m, 0);
  return { route: 'content', items: route.parts.items.length, stableColumns, calibration };
}

/** The route's line in `eior train`'s report. */
export function describeNewItems(summary: NewItemsSummary): string {
  if (summary.route === 'model') return `new items: scored by the fused model like any item (${summary.reason})`;
  const { items, stableColumns, calibration } = summary;
  return `new items: ${items} item(s) without train edges scored by their ${stableColumns} stable content column(s), α_I = 1 (rating ${calibration.slope.toPrecision(3)} c + ${calibration.intercept.toPrecision(3)})`;
}

/** Train edges per environment. */
function environmentSizes(invariance: Invariance): number[] {
  const sizes = new Array<number>(invariance.numEnvironments).fill(0);
  for (const e of invariance.assignment) sizes[e]++;
  return sizes;
}

export function maskSummary(mask: Float32Array): MaskSummary {
  let kept = 0;
  let sum = 0;
  for (const m of mask) {
    if (m > 0.5) kept++;
    sum += m;
  }
  const columns = mask.length;
  return { columns, kept: columns > 0 ? kept / columns : 0, mean: columns > 0 ? sum / columns : 0 };
}
