// Model runs from the graph as ModelVersion objects.
import { listModelRuns, type GraphClient, type ModelRunSummary } from '@eior/graph';
import { storedComparison, type ExplanationHealth } from '@eior/model';
import type { ModelRegistry } from '../serving/model-registry';
import { metricList } from './common.type';
import { toExplanationHealth } from './explanation-health.type';
import type { EpochPoint, ModelVersion } from './model-version.type';
import { toTrainedOn } from './trained-on.type';

export async function modelVersions(client: GraphClient, registry: ModelRegistry, dataset: string): Promise<ModelVersion[]> {
  const serving = registry.peek(dataset)?.version ?? null;
  return (await listModelRuns(client, dataset)).map((r) => toModelVersion(r, serving));
}

function toModelVersion(r: ModelRunSummary, serving: string | null): ModelVersion {
  const floor = storedComparison(r.metrics);
  return {
    dataset: r.dataset,
    version: r.version,
    model: r.model,
    createdAt: r.createdAt,
    current: r.current,
    serving: r.version === serving,
    backend: r.backend,
    bestEpoch: r.bestEpoch,
    trainingSeconds: r.trainingSeconds,
    config: r.config,
    validMetrics: metricList(r.metrics.valid),
    testMetrics: metricList(r.metrics.test),
    popularityValidMetrics: metricList(r.metrics.popularity?.valid ?? {}),
    liftOverPopularity: floor?.lift ?? null,
    liftInterval: floor?.interval ?? null,
    clearsPopularity: floor?.clears ?? null,
    trainedOn: r.trainedOn ? toTrainedOn(r.trainedOn) : null,
    trainingCurve: r.curve.map(toEpochPoint),
    explanationHealth: r.health ? toExplanationHealth(r.health as ExplanationHealth) : null,
  };
}

function toEpochPoint(e: Record<string, unknown>, n: number): EpochPoint {
  const validation: Record<string, number> = {};
  const valid = (e.valid ?? {}) as Record<string, Record<string, number>>;
  for (const [k, metrics] of Object.entries(valid)) {
    for (const [name, value] of Object.entries(metrics ?? {})) validation[`${name}@${k}`] = value;
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { epoch: num(e.epoch) ?? n + 1, loss: num(e.loss), seconds: num(e.seconds), validation: metricList(validation) };
}
