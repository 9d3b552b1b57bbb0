// One training run as `eior train` does it: export from the graph, train on the chosen backend, evaluate,
// write a new artifact version, make it current, and record the run in the graph.
import path from 'node:path';
import { exportTrainingData, recordModelRun, type GraphClient, type TrainingExport } from '@eior/graph';
import type { ArtifactManifest, EpochRecord, EvalProtocol, TrainProgress, WeightSnapshot } from '@eior/model';
import type { CliConfig } from '../config';
import { progressBar, say, type Progress } from '../output';
import { metricTable } from './metric-table';
import { ultraGcnConfigFor, type ConfigOverrides, type ModelKind, type PresetName } from './model-kinds';

export interface TrainRequest {
  dataset: string;
  model: ModelKind;
  preset: PresetName;
  overrides: ConfigOverrides;
  backend?: 'node-gpu' | 'node' | 'wasm' | 'cpu';
  protocol: EvalProtocol;
}

export interface TrainReport {
  dataset: string;
  model: ModelKind;
  version: string;
  backend: string;
  bestEpoch: number;
  epochs: number;
  stoppedEarly: boolean;
  seconds: { export: number; train: number; total: number };
  metrics: { valid: Record<string, number>; test: Record<string, number> };
  artifact: string;
}

interface Trained {
  config: Record<string, unknown>;
  weights: WeightSnapshot;
  shapes: Map<string, number[]>;
  bestEpoch: number;
  stoppedEarly: boolean;
  curve: EpochRecord[];
  valid: Record<string, number>;
  test: Record<string, number>;
}

function modelsRoot(config: CliConfig, dataset: string): string {
  return path.join(config.stateDir, 'models', dataset);
}

export async function runTraining(config: CliConfig, client: GraphClient, request: TrainRequest): Promise<TrainReport> {
  const started = performance.now();
  const lib = await import('@eior/model');
  const choice = await lib.selectBackend({ name: request.backend });
  say(lib.describeBackendChoice(choice));

  say(`exporting '${request.dataset}' from the graph`);
  const data = await exportTrainingData(client, request.dataset);
  const exported = performance.now();
  say(`  ${data.numUsers} users, ${data.numItems} items, ${data.train.users.length}/${data.valid.users.length}/${data.test.users.length} train/valid/test, modalities ${data.features.map((f) => `${f.modality} ${f.width}`).join(', ') || 'none'}`);

  const trained = request.model === 'popularity' ? trainPopularity(lib, data, request.protocol) : await trainUltraGcn(lib, data, request);
  const trainedAt = performance.now();

  const store = new lib.ArtifactStore(modelsRoot(config, request.dataset));
  const manifest: ArtifactManifest = await store.save(
    {
      model: request.model,
      config: trained.config,
      dataset: {
        name: data.dataset,
        fingerprint: data.fingerprint,
        numUsers: data.numUsers,
        numItems: data.numItems,
        features: data.features.map((f) => ({ modality: f.modality, width: f.width })),
      },
      backend: choice.name,
      metrics: { bestEpoch: trained.bestEpoch, valid: trained.valid, test: trained.test, protocol: request.protocol },
      curve: trained.curve as unknown as Record<string, unknown>[],
      trainingSeconds: (trainedAt - exported) / 1000,
    },
    trained.weights,
    trained.shapes,
  );
  await store.setCurrent(manifest.version);
  await recordModelRun(
    client,
    {
      dataset: request.dataset,
      version: manifest.version,
      model: request.model,
      createdAt: manifest.createdAt,
      backend: choice.name,
      protocol: request.protocol,
      bestEpoch: trained.bestEpoch,
      trainingSeconds: manifest.trainingSeconds,
      config: trained.config,
      metrics: { valid: trained.valid, test: trained.test },
      curve: manifest.curve,
    },
    { current: true },
  );
  const finished = performance.now();
  return {
    dataset: request.dataset,
    model: request.model,
    version: manifest.version,
    backend: choice.name,
    bestEpoch: trained.bestEpoch,
    epochs: trained.curve.length,
    stoppedEarly: trained.stoppedEarly,
    seconds: { export: (exported - started) / 1000, train: (trainedAt - exported) / 1000, total: (finished - started) / 1000 },
    metrics: { valid: trained.valid, test: trained.test },
    artifact: path.join(store.root, 'versions', manifest.version),
  };
}

type ModelLib = typeof import('@eior/model');

function trainPopularity(lib: ModelLib, data: TrainingExport, protocol: EvalProtocol): Trained {
  const model = new lib.PopularityModel(data.numUsers, data.numItems, data.train);
  const evaluate = (target: TrainingExport['valid']) =>
    metricTable(lib.evaluateRanking(model, { numUsers: data.numUsers, numItems: data.numItems, train: data.train, target }, { protocol }).atK);
  return {
    config: {},
    weights: new Map([['popularity', model.counts]]),
    shapes: new Map([['popularity', [data.numItems]]]),
    bestEpoch: 0,
    stoppedEarly: false,
    curve: [],
    valid: evaluate(data.valid),
    test: evaluate(data.test),
  };
}

async function trainUltraGcn(lib: ModelLib, data: TrainingExport, request: TrainRequest): Promise<Trained> {
  const preset = { paper: lib.ULTRAGCN_PAPER_PRESET, invrl: lib.INVRL_PRESET, tiktok: lib.TIKTOK_PRESET }[request.preset];
  const cfg = lib.validateUltraGcnConfig(ultraGcnConfigFor(request.model as Exclude<ModelKind, 'popularity'>, preset, request.overrides));
  const bar = new EpochBar();
  const { model, result } = await lib.fitUltraGcn(data, cfg, {
    protocol: request.protocol,
    onProgress: (p) => bar.update(p),
    onEpoch: (e) => {
      const valid = e.valid?.[20];
      if (valid) bar.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, valid recall@20 ${valid.recall.toFixed(4)} ndcg@20 ${valid.ndcg.toFixed(4)}, ${Math.round(e.samplesPerSecond)} pairs/s`);
    },
  }).finally(() => bar.stop());
  try {
    return {
      config: cfg as unknown as Record<string, unknown>,
      weights: model.getWeights(),
      shapes: model.weightShapes(),
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      curve: result.curve,
      valid: metricTable(result.bestValid),
      test: metricTable(result.test.atK),
    };
  } finally {
    model.dispose();
  }
}

/** A progress bar over all steps of all epochs, with epoch, loss and speed; epoch summaries printed above it. */
class EpochBar {
  private bar: Progress | undefined;

  update(p: TrainProgress): void {
    const total = p.epochs * p.steps;
    if (!this.bar) this.bar = progressBar('train', total, 'steps');
    this.bar.update((p.epoch - 1) * p.steps + p.step, `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerSecond)} pairs/s`);
  }

  log(line: string): void {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    say(line);
  }

  stop(): void {
    this.bar?.stop();
  }
}
