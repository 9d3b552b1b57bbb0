// One training run as `eior train` does it: export from the graph, train on the chosen backend, evaluate, score
// popularity on the same splits, write a new artifact version, record the run (and, for the EIOR kinds, its
// environments) in the graph, and make the version current when it clears the popularity floor (or is forced).
import path from 'node:path';
import { exportTrainingData, recordModelRun, tunedSettings, writeEnvironments, type GraphClient, type TrainingExport } from '@eior/graph';
import { makeVersionCurrent } from '@eior/api';
import type { ArtifactManifest, EiorConfig, EvalProtocol, LiftInterval, PopularityComparison, UltraGcnConfig } from '@eior/model';
import type { CliConfig } from '../config';
import { say } from '../output';
import { artifactRoot, modelsDir } from './artifact-root';
import { EpochBar } from './epoch-bar';
import { metricTable } from './metric-table';
import { isEiorKind, ultraGcnConfigFor, ultraGcnPreset, type ConfigOverrides, type ModelKind, type PresetName } from './model-kinds';
import { trainEior } from './train-eior';
import { describePretrain, type InvarianceSummary, type Trained } from './trained-model';

export interface TrainRequest {
  dataset: string;
  model: ModelKind;
  preset: PresetName;
  overrides: ConfigOverrides;
  backend?: 'node-gpu' | 'node' | 'wasm' | 'cpu';
  protocol: EvalProtocol;
  /** The EIOR pipeline's config, required for the kinds invrl, variant and eior. */
  eior?: EiorConfig;
  /** Make the version current even when its validation NDCG@20 is below popularity's. */
  force?: boolean;
  /** Start from the settings `eior tune` found for this kind on this data (default true; --set still wins). */
  tuned?: boolean;
  /**
   * Make the version current only when it also beats the version the dataset serves now (trained on the same data) on
   * validation NDCG@20: the main job's background tuning must not replace a better default-trained version.
   */
  onlyIfBetter?: boolean;
}

export interface TrainReport {
  dataset: string;
  model: ModelKind;
  version: string;
  backend: string;
  bestEpoch: number;
  epochs: number;
  stoppedEarly: boolean;
  /** export, train (all stages and evaluation), total; for the EIOR kinds also backbone, invariance, final. */
  seconds: { export: number; train: number; total: number } & Partial<Record<'backbone' | 'invariance' | 'final', number>>;
  metrics: { valid: Record<string, number>; test: Record<string, number> };
  /** The popularity list scored on the same splits in this run, and the intervals of the version's lift over it. */
  popularity: { valid: Record<string, number>; test: Record<string, number>; liftIntervals?: { valid: LiftInterval | null; test: LiftInterval | null } };
  /** Validation NDCG@20 against popularity's: the lift, its interval, and whether the version clears the floor. */
  floor: PopularityComparison;
  /** Test NDCG@20 against popularity's, with its interval (reported, never used for a choice). */
  testLift: Pick<PopularityComparison, 'lift' | 'interval'>;
  /** True when this version was made current (it clears the floor, or --force). */
  current: boolean;
  /** The version the dataset serves after this run (this one, or the one that stayed current; null for none). */
  serving: string | null;
  /** The EIOR kinds: how the environments were made, how many, and their train edges. */
  environments?: InvarianceSummary['environments'];
  /** The EIOR kinds: the learned feature mask in three figures. */
  mask?: InvarianceSummary['mask'];
  /** What the version's explanations are worth (content share, α_I, faithfulness, degenerate splits). */
  health?: Trained['health'];
  artifact: string;
}

export async function runTraining(config: CliConfig, client: GraphClient, request: TrainRequest): Promise<TrainReport> {
  const started = performance.now();
  const lib = await import('@eior/model');
  const choice = await lib.selectBackend({ name: request.backend });
  say(lib.describeBackendChoice(choice));

  say(`exporting '${request.dataset}' from the graph`);
  // feedback recorded through the API so far joins the training data (the version remembers up to when)
  const data = await exportTrainingData(client, request.dataset, { feedbackUntil: Date.now() });
  const exported = performance.now();
  say(`  ${data.numUsers} users, ${data.numItems} items, ${data.train.users.length}/${data.valid.users.length}/${data.test.users.length} train/valid/test, modalities ${data.features.map((f) => `${f.modality} ${f.width}`).join(', ') || 'none'}`);

  const trained = await train(lib, data, await withTunedSettings(client, data, request));
  const trainedAt = performance.now();
  // the floor: popularity on the same splits (popularity itself is its own floor)
  const scored = request.model === 'popularity'
    ? { valid: trained.valid, test: trained.test, floorPerUser: trained.floorPerUser }
    : evaluatePopularity(lib, new lib.PopularityModel(data.numUsers, data.numItems, data.train), data, request.protocol);
  // how sure the lift is: the users' values of both, paired (the floor itself reads only the means)
  const liftIntervals = trained.floorPerUser && scored.floorPerUser ? lib.floorLiftIntervals(trained.floorPerUser, scored.floorPerUser) : null;
  const popularity = { valid: scored.valid, test: scored.test, ...(liftIntervals ? { liftIntervals } : {}) };
  const floor = lib.compareWithPopularity(trained.valid, popularity.valid, liftIntervals?.valid ?? null);
  const testLift = lib.compareWithPopularity(trained.test, popularity.test, liftIntervals?.test ?? null);

  const store = new lib.ArtifactStore(artifactRoot(config, request.dataset));
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
        ...(data.feedback ? { feedback: data.feedback } : {}),
      },
      backend: choice.name,
      metrics: { bestEpoch: trained.bestEpoch, valid: trained.valid, test: trained.test, protocol: request.protocol, popularity },
      curve: trained.curve as unknown as Record<string, unknown>[],
      trainingSeconds: (trainedAt - exported) / 1000,
      ...(trained.health ? { health: trained.health } : {}),
      ...(trained.extra ? { extra: trained.extra } : {}),
    },
    trained.weights,
    trained.shapes,
  );
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
      metrics: { valid: trained.valid, test: trained.test, popularity },
      curve: manifest.curve,
      health: trained.health ?? null,
      trainedOn: { fingerprint: data.fingerprint, events: data.cutoff.events, appends: data.cutoff.appends },
    },
    { current: false },
  );
  if (trained.environments) {
    say(`writing ${trained.environments.environments.length} environments of ${manifest.version} to the graph`);
    await writeEnvironments(client, { dataset: request.dataset, run: manifest.version, ...trained.environments });
  }
  const rival = request.onlyIfBetter ? await servedRival(store, data.fingerprint) : null;
  const beatsRival = rival === null || validNdcg(trained.valid) > rival.score;
  if (!beatsRival) say(`kept ${rival!.version} current: its validation NDCG@20 ${rival!.score.toFixed(4)} is at least ${manifest.version}'s ${validNdcg(trained.valid).toFixed(4)}`);
  const current = (floor.clears && beatsRival) || request.force === true;
  if (current) await makeVersionCurrent(client, modelsDir(config), request.dataset, manifest.version, { force: request.force === true });
  const serving = current ? manifest.version : await store.current().catch(() => null);
  const finished = performance.now();
  return {
    dataset: request.dataset,
    model: request.model,
    version: manifest.version,
    backend: choice.name,
    bestEpoch: trained.bestEpoch,
    epochs: trained.curve.length,
    stoppedEarly: trained.stoppedEarly,
    seconds: {
      export: (exported - started) / 1000,
      ...Object.fromEntries((trained.stages ?? []).map((s) => [s.stage, s.seconds])),
      train: (trainedAt - exported) / 1000,
      total: (finished - started) / 1000,
    },
    metrics: { valid: trained.valid, test: trained.test },
    popularity,
    floor,
    testLift: { lift: testLift.lift, interval: testLift.interval },
    current,
    serving,
    ...trained.invariance,
    health: trained.health,
    artifact: path.join(store.root, 'versions', manifest.version),
  };
}

type ModelLib = typeof import('@eior/model');

const validNdcg = (valid: Record<string, number>): number => valid['ndcg@20'] ?? Number.NEGATIVE_INFINITY;

/** The version the dataset serves now and its validation NDCG@20, when it was trained on the data with `fingerprint`. */
async function servedRival(store: InstanceType<ModelLib['ArtifactStore']>, fingerprint: string): Promise<{ version: string; score: number } | null> {
  const version = await store.current().catch(() => null);
  if (!version) return null;
  const served = await store.manifest(version);
  return served.dataset.fingerprint === fingerprint ? { version, score: validNdcg(served.metrics.valid) } : null;
}

/** The kinds whose tunings share one search space (UltraGCN with features: the EIOR kinds' backbone). */
const FEATURE_KINDS = ['ultragcn-features', 'invrl', 'variant', 'eior'];

/** The kinds whose tuned settings a training of `model` starts from: its own search space's. */
export function tuningKinds(model: Exclude<ModelKind, 'popularity'>): string[] {
  return model === 'ultragcn' ? ['ultragcn'] : FEATURE_KINDS;
}

/** The request with the tuned settings of this kind on this data (same preset) under its own --set, and says so. */
async function withTunedSettings(client: GraphClient, data: TrainingExport, request: TrainRequest): Promise<TrainRequest> {
  if (request.model === 'popularity' || request.tuned === false) return request;
  const tuning = await tunedSettings(client, request.dataset, data.fingerprint, tuningKinds(request.model));
  if (!tuning || tuning.schedule.preset !== request.preset) return request;
  const settings = tuning.bestSettings as Partial<UltraGcnConfig>;
  say(`starting from the settings tuning ${tuning.id} found on this data (validation NDCG@20 ${tuning.bestScore?.toFixed(4)}): ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return { ...request, overrides: { ...request.overrides, settings: { ...settings, ...request.overrides.settings } } };
}

function train(lib: ModelLib, data: TrainingExport, request: TrainRequest): Promise<Trained> {
  const { model } = request;
  if (model === 'popularity') return Promise.resolve(trainPopularity(lib, data, request.protocol));
  if (!isEiorKind(model)) return trainUltraGcn(lib, data, request);
  if (!request.eior) throw new Error(`--model ${model} needs an EIOR config`);
  return trainEior(lib, data, { model, preset: request.preset, overrides: request.overrides, protocol: request.protocol, eior: request.eior });
}

function trainPopularity(lib: ModelLib, data: TrainingExport, protocol: EvalProtocol): Trained {
  const model = new lib.PopularityModel(data.numUsers, data.numItems, data.train);
  return {
    config: {},
    weights: new Map([['popularity', model.counts]]),
    shapes: new Map([['popularity', [data.numItems]]]),
    bestEpoch: 0,
    stoppedEarly: false,
    curve: [],
    health: lib.computeExplanationHealth(model, data),
    ...evaluatePopularity(lib, model, data, protocol),
  };
}

/** Popularity's validation and test metrics, and its users' values (of the model itself, or as the floor of every other run). */
function evaluatePopularity(lib: ModelLib, model: InstanceType<ModelLib['PopularityModel']>, data: TrainingExport, protocol: EvalProtocol) {
  const evaluate = (target: TrainingExport['valid']) =>
    lib.evaluateRanking(model, { numUsers: data.numUsers, numItems: data.numItems, train: data.train, target }, { protocol, perUser: true });
  const valid = evaluate(data.valid);
  const test = evaluate(data.test);
  return { valid: metricTable(valid.atK), test: metricTable(test.atK), floorPerUser: lib.floorPerUser(valid.perUser, test.perUser) ?? undefined };
}

async function trainUltraGcn(lib: ModelLib, data: TrainingExport, request: TrainRequest): Promise<Trained> {
  const preset = ultraGcnPreset(lib, request.preset);
  const cfg = lib.validateUltraGcnConfig(ultraGcnConfigFor(request.model as Exclude<ModelKind, 'popularity'>, preset, request.overrides));
  const bar = new EpochBar();
  const { model, result, pretrain } = await lib.fitUltraGcn(data, cfg, {
    protocol: request.protocol,
    onProgress: (p) => bar.update(p),
    onEpoch: (e) => bar.epoch(e),
  }).finally(() => bar.stop());
  if (pretrain) say(describePretrain(pretrain));
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
      health: lib.computeExplanationHealth(model, data, { seed: cfg.seed }),
      floorPerUser: lib.floorPerUser(result.bestValidPerUser, result.test.perUser) ?? undefined,
      ...(pretrain ? { extra: { pretrain: lib.pretrainSummary(pretrain) } } : {}),
    };
  } finally {
    model.dispose();
  }
}
