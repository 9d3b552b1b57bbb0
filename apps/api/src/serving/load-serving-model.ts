// Builds a ServingModel for one version of a dataset: verifies and reads the artifact, reads the training data
// from the graph, checks the two belong together (the feedback the version trained on and the dataset's
// fingerprint), and restores the model. A version trained before appends serves the users and items it knows:
// the export cut to them (appends give new ones the next indexes), with the pairs the graph has between them now,
// so items a user met since are not recommended again. The API's registry and `eior explain` both load through here.
//
// The train graph's statistics, the largest synchronous step, are computed in a worker thread when the caller gives
// one (graph-stats-thread; the API's registry does), so the event loop keeps answering meanwhile. The steps after
// that are synchronous CPU work that holds the event loop (restoring the model's parameters and tensors, the item
// similarity index); `loadSteps` says how long each took ('graphStats' is the wait for the thread, not a stall).
// Yielding to the event loop between them was measured (bench/version-load.ts) and did not shorten the longest stall;
// with `giveWay` (the API's priority lane) a step does not start while a priority request is in flight.
import { performance } from 'node:perf_hooks';
import { exportTrainingData, restrictExport, type GraphClient } from '@eior/graph';
import { ArtifactStore, ItemSimilarity, ModelError, buildItemFeatures, buildUserItemIndex, readExtraWeights, restoreModel, restoreStatsOptions, type GraphStats } from '@eior/model';
import type { GraphStatsThread } from './graph-stats-thread';
import { ServingModel } from './serving-model';

/** A version that does not belong to the data now in the graph: it has to be retrained, not repaired. */
export class StaleModelError extends ModelError {
  constructor(message: string) {
    super('CORRUPT_ARTIFACT', message);
    this.name = 'StaleModelError';
  }
}

/** The artifact store of a dataset: refused (BAD_USER_INPUT) when the name would lead out of the models folder. */
export function artifactStoreFor(modelsDir: string, dataset: string): ArtifactStore {
  return ArtifactStore.inside(modelsDir, dataset);
}

export interface LoadOptions {
  /** Where to compute the train graph's statistics; absent: in this thread, inside restoreModel. */
  statsThread?: GraphStatsThread;
  /** Awaited before each synchronous step (the API's priority lane: requests in flight first); absent: none. */
  giveWay?: () => Promise<unknown>;
}

export async function loadServingModel(client: GraphClient, modelsDir: string, dataset: string, version: string, options: LoadOptions = {}): Promise<ServingModel> {
  const started = performance.now();
  const { manifest, weights } = await artifactStoreFor(modelsDir, dataset).load(version);
  const retrain = `retrain with \`eior train --dataset ${dataset} --model ${manifest.model}\``;
  // the training data as the version saw it: the ingested data plus the feedback recorded up to its training
  let data = await exportTrainingData(client, dataset, { feedbackUntil: manifest.dataset.feedback?.until });
  if ((data.feedback?.interactions ?? 0) !== (manifest.dataset.feedback?.interactions ?? 0)) {
    throw new StaleModelError(
      `model ${version} of '${dataset}' was trained with ${manifest.dataset.feedback?.interactions ?? 0} feedback interactions; the graph now has ${data.feedback?.interactions ?? 0} recorded up to then: ${retrain}`,
    );
  }
  const before = data.cutoff.earlierFingerprints.indexOf(manifest.dataset.fingerprint);
  if (manifest.dataset.fingerprint !== data.fingerprint && before < 0) {
    throw new StaleModelError(
      `model ${version} of '${dataset}' was trained on other data (fingerprint ${manifest.dataset.fingerprint.slice(0, 12)}…, the graph's is ${data.fingerprint.slice(0, 12)}…): ${retrain}`,
    );
  }
  const full = data;
  if (before >= 0) data = restrictExport(full, manifest.dataset.numUsers, manifest.dataset.numItems);
  const joinedLater = before < 0 ? null : { users: new Set(full.userIds.slice(data.numUsers)), items: new Set(full.itemIds.slice(data.numItems)), appends: full.cutoff.appends - before };
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => T): Promise<T> => {
    await options.giveWay?.();
    const t = performance.now();
    const out = work();
    steps[name] = Math.round((performance.now() - t) * 10) / 10;
    return out;
  };
  const statsOptions = restoreStatsOptions(manifest.model, manifest.config);
  let stats: GraphStats | undefined;
  if (statsOptions && options.statsThread) {
    const t = performance.now();
    stats = await options.statsThread.compute(data.numUsers, data.numItems, data.train, statsOptions);
    steps.graphStats = Math.round((performance.now() - t) * 10) / 10;
  }
  const restored = await step('restore', () => restoreModel(manifest.model, manifest.config, weights, data, { stats }));
  const content = await step('itemFeatures', () => (data.features.length > 0 ? buildItemFeatures(data.numItems, data.features) : null));
  const extra = await step('extraWeights', () => readExtraWeights(weights));
  // the same index as the statistics' userItems: shared when they were made
  const trainItems = stats ? stats.userItems : await step('trainItems', () => buildUserItemIndex(data.numUsers, data.numItems, data.train));
  const similarity = await step('similarity', () => new ItemSimilarity(data.numUsers, data.numItems, data.train, content));
  return new ServingModel({
    dataset,
    manifest,
    restored,
    userIds: data.userIds,
    itemIds: data.itemIds,
    trainItems,
    similarity,
    userEnvironment: extra.userEnvironment,
    data,
    mask: extra.mask,
    edgeEnvironment: extra.environments,
    joinedLater,
    loadSeconds: (performance.now() - started) / 1000,
    loadSteps: steps,
  });
}
