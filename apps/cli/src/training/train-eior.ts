// `eior train --model invrl|variant|eior`: the backbone's config from the preset and the flags, then @eior/model's
// staged pipeline (eior-pipeline.ts: backbone, invariance, final model, per-environment figures, packing), with
// each stage reported on stderr as it starts and ends; the run hands back what the artifact and the graph need.
import type { TrainingExport } from '@eior/graph';
import type { EiorConfig, EvalProtocol, PipelineEvent, TrainResult } from '@eior/model';
import { say } from '../output';
import { EpochBar } from './epoch-bar';
import { ultraGcnConfigFor, ultraGcnPreset, type ConfigOverrides, type EiorKind, type PresetName } from './model-kinds';
import { describePretrain, type Trained } from './trained-model';

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
  const bars = { backbone: new EpochBar('backbone'), final: new EpochBar('final') };
  const alternations = eior.environments.source === 'time' ? 1 : eior.mask.alternations;
  const ladder = lib.windowLadder(eior.environments.numEnvironments);
  const starts = {
    backbone: `stage 1/3 backbone: multimodal UltraGCN (ERM), up to ${backboneConfig.epochs} epochs`,
    invariance:
      eior.mask.estimator === 'stability' && eior.environments.source === 'time'
        ? `stage 2/3 invariance: time environments (E = ${eior.environments.numEnvironments}), mask by stability across ${ladder[0]} to ${ladder[ladder.length - 1]} time windows (without timestamps: ${eior.mask.penalty} penalty on inferred environments)`
        : `stage 2/3 invariance: ${eior.environments.source} environments (E = ${eior.environments.numEnvironments}), ${eior.mask.penalty} penalty, up to ${alternations} alternation(s)`,
    final: `stage 3/3 final: ${FINAL_MODEL[request.model]}, up to ${eior.fusion.epochs} epochs`,
  };
  const report = (event: PipelineEvent): void => {
    if (event.type === 'stage-start') say(starts[event.stage]);
    else if (event.type === 'step') say(`  ${event.progress.stage}: ${event.progress.message}`);
    else if (event.type === 'fit-end') {
      bars[event.stage].stop();
      if (event.pretrain) say(describePretrain(event.pretrain));
      say(`  ${event.stage} done in ${event.seconds.toFixed(1)} s: best epoch ${event.result.bestEpoch}, ${describeTest(event.result)}`);
    } else {
      const { environments, mask } = event.summary;
      say(`  invariance done in ${event.seconds.toFixed(1)} s: ${environments.source} environments of ${environments.sizes.join('/')} edges, mask (${event.summary.estimator}) keeps ${(100 * mask.kept).toFixed(1)} % of ${mask.columns} columns (mean ${mask.mean.toFixed(3)})`);
    }
  };
  const barHooks = (bar: EpochBar) => ({ onProgress: bar.update.bind(bar), onEpoch: bar.epoch.bind(bar) });
  const run = await lib
    .trainEiorPipeline(request.model, data, backboneConfig, eior, {
      protocol,
      trainTimestamps: data.trainTimestamps,
      backbone: barHooks(bars.backbone),
      final: barHooks(bars.final),
      onEvent: report,
    })
    .finally(() => {
      bars.backbone.stop();
      bars.final.stop();
    });
  if (run.newItems) say(`  ${lib.describeNewItems(run.newItems)}`);
  return {
    config: run.config as unknown as Record<string, unknown>,
    weights: run.weights,
    shapes: run.shapes,
    bestEpoch: run.result.bestEpoch,
    stoppedEarly: run.result.stoppedEarly,
    curve: run.result.curve,
    valid: run.valid,
    test: run.test,
    stages: run.stages,
    invariance: run.summary,
    extra: run.extra,
    health: run.health,
    environments: { source: run.summary.environments.source, environments: run.environments, userEnvironment: { userIdx: run.userEnvironment } },
    floorPerUser: lib.floorPerUser(run.result.bestValidPerUser, run.result.test.perUser) ?? undefined,
  };
}

function describeTest(result: TrainResult): string {
  const at20 = result.test.atK[20];
  return at20 ? `test recall@20 ${at20.recall.toFixed(4)} ndcg@20 ${at20.ndcg.toFixed(4)}` : 'no test users';
}
