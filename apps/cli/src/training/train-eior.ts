// The staged pipeline behind `eior train --model invrl|variant|eior` (libs/model fit-eior.ts): the ERM backbone,
// the invariance stage (environments and feature mask), the final model; then what the artifact keeps (weights,
// mask, environments, stage times) and each environment's test figures for the graph.
import type { TrainingExport } from '@eior/graph';
import type { EiorConfig, EvalProtocol, Invariance, InvarianceModelConfig, TrainableRecModel } from '@eior/model';
import { say } from '../output';
import { environmentRecords } from './environment-metrics';
import { EpochBar } from './epoch-bar';
import { metricTable } from './metric-table';
import { ultraGcnConfigFor, ultraGcnPreset, type ConfigOverrides, type EiorKind, type PresetName } from './model-kinds';
import type { Trained } from './trained-model';

type ModelLib = typeof import('@eior/model');

export interface EiorTrainRequest {
  model: EiorKind;
  /** The backbone's UltraGCN preset; `overrides` (--seed, --epochs) apply to the backbone. */
  preset: PresetName;
  overrides: ConfigOverrides;
  protocol: EvalProtocol;
  eior: EiorConfig;
}

const FINAL_MODEL: Record<EiorKind, string> = {
  invrl: 'InvRL, UltraGCN on the invariant features x ⊙ m',
  variant: 'variant only, UltraGCN on the variant features x ⊙ (1 − m)',
  eior: 'EIOR, both branches fused',
};

export async function trainEior(lib: ModelLib, data: TrainingExport, request: EiorTrainRequest): Promise<Trained> {
  const { protocol, eior } = request;
  const backboneConfig = lib.validateUltraGcnConfig(ultraGcnConfigFor(request.model, ultraGcnPreset(lib, request.preset), request.overrides));

  say(`stage 1/3 backbone: multimodal UltraGCN (ERM), up to ${backboneConfig.epochs} epochs`);
  const backboneBar = new EpochBar('backbone');
  const backbone = await lib
    .fitBackbone(data, backboneConfig, { protocol, onProgress: (p) => backboneBar.update(p), onEpoch: (e) => backboneBar.epoch(e) })
    .finally(() => backboneBar.stop());
  say(`  backbone done in ${backbone.seconds.toFixed(1)} s: best epoch ${backbone.result.bestEpoch}, ${describeTest(backbone.result.test.atK[20])}`);

  const alternations = eior.environments.source === 'time' ? 1 : eior.mask.alternations;
  say(`stage 2/3 invariance: ${eior.environments.source} environments (E = ${eior.environments.numEnvironments}), ${eior.mask.penalty} penalty, up to ${alternations} alternation(s)`);
  const invarianceStart = performance.now();
  const invariance = await lib.learnInvariance(data, backbone, eior, {
    protocol,
    trainTimestamps: data.trainTimestamps,
    onStage: (p) => say(`  ${p.stage}: ${p.message}`),
  });
  const invarianceSeconds = (performance.now() - invarianceStart) / 1000;
  const sizes = environmentSizes(invariance);
  const mask = maskSummary(invariance.mask);
  say(`  invariance done in ${invarianceSeconds.toFixed(1)} s: ${invariance.source} environments of ${sizes.join('/')} edges, mask keeps ${(100 * mask.kept).toFixed(1)} % of ${mask.columns} columns (mean ${mask.mean.toFixed(3)})`);

  say(`stage 3/3 final: ${FINAL_MODEL[request.model]}, up to ${eior.fusion.epochs} epochs`);
  const finalBar = new EpochBar('final');
  const fit = await lib
    .fitFinal(request.model, data, backbone, eior, invariance, { protocol, onProgress: (p) => finalBar.update(p), onEpoch: (e) => finalBar.epoch(e) })
    .finally(() => finalBar.stop());
  say(`  final done in ${fit.seconds.toFixed(1)} s: best epoch ${fit.result.bestEpoch}, ${describeTest(fit.result.test.atK[20])}`);

  try {
    const perUser = new lib.RankingEvaluator(data.numUsers, data.numItems, data.train, data.test).evaluate(fit.model, { protocol, perUser: true }).perUser;
    const fused = fit.model instanceof lib.EiorModel ? fit.model : null;
    const environments = environmentRecords({
      numEnvironments: invariance.numEnvironments,
      assignment: invariance.assignment,
      userEnvironment: invariance.userEnvironment,
      perUser: perUser!,
      test: data.test,
      invariantWeight: fused ? (u, i) => fused.explain(u, i).invariantWeight : null,
    });
    const weights = new Map(fit.model.getWeights());
    const shapes = weightShapes(fit.model);
    const extraWeights: [string, Float32Array][] = [
      ['mask', invariance.mask],
      ['environments', Float32Array.from(invariance.assignment)],
      ['userEnvironment', Float32Array.from(invariance.userEnvironment)],
    ];
    for (const [name, values] of extraWeights) {
      weights.set(name, values);
      shapes.set(name, [values.length]);
    }
    const stages = [
      { stage: 'backbone', seconds: backbone.seconds },
      { stage: 'invariance', seconds: invarianceSeconds },
      { stage: 'final', seconds: fit.seconds },
    ];
    const config: InvarianceModelConfig = { backbone: backbone.config, eior };
    return {
      config: config as unknown as Record<string, unknown>,
      weights,
      shapes,
      bestEpoch: fit.result.bestEpoch,
      stoppedEarly: fit.result.stoppedEarly,
      curve: fit.result.curve,
      valid: metricTable(fit.result.bestValid),
      test: metricTable(fit.result.test.atK),
      stages,
      invariance: { environments: { source: invariance.source, count: invariance.numEnvironments, sizes }, mask },
      extra: {
        stages,
        environments: { source: invariance.source, count: invariance.numEnvironments, sizes, rounds: invariance.rounds.map((r) => r.length) },
        mask,
        backbone: {
          bestEpoch: backbone.result.bestEpoch,
          epochs: backbone.result.curve.length,
          valid: metricTable(backbone.result.bestValid),
          test: metricTable(backbone.result.test.atK),
        },
      },
      environments: { source: invariance.source, environments, userEnvironment: { userIdx: invariance.userEnvironment } },
    };
  } finally {
    fit.model.dispose();
  }
}

/** Train edges per environment. */
function environmentSizes(invariance: Invariance): number[] {
  const sizes = new Array<number>(invariance.numEnvironments).fill(0);
  for (const e of invariance.assignment) sizes[e]++;
  return sizes;
}

/** The mask in three figures: its columns, the share kept (m > 0.5) and its mean. */
export function maskSummary(mask: Float32Array): { columns: number; kept: number; mean: number } {
  let kept = 0;
  let sum = 0;
  for (const m of mask) {
    if (m > 0.5) kept++;
    sum += m;
  }
  const columns = mask.length;
  return { columns, kept: columns > 0 ? kept / columns : 0, mean: columns > 0 ? sum / columns : 0 };
}

function weightShapes(model: TrainableRecModel): Map<string, number[]> {
  const shaped = model as TrainableRecModel & { weightShapes?: () => Map<string, number[]> };
  return shaped.weightShapes ? shaped.weightShapes() : new Map();
}

function describeTest(at20: { recall: number; ndcg: number } | undefined): string {
  return at20 ? `test recall@20 ${at20.recall.toFixed(4)} ndcg@20 ${at20.ndcg.toFixed(4)}` : 'no test users';
}
