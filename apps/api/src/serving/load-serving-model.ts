// Builds a ServingModel for one version of a dataset: verifies and reads the artifact, reads the training data
// from the graph, checks the two belong together (the dataset's fingerprint), and restores the model.
import { performance } from 'node:perf_hooks';
import { exportTrainingData, type GraphClient } from '@eior/graph';
import { ArtifactStore, ItemSimilarity, ModelError, buildItemFeatures, buildUserItemIndex, restoreModel } from '@eior/model';
import { ServingModel } from './serving-model';

/** The artifact store of a dataset: refused (BAD_USER_INPUT) when the name would lead out of the models folder. */
export function artifactStoreFor(modelsDir: string, dataset: string): ArtifactStore {
  return ArtifactStore.inside(modelsDir, dataset);
}

export async function loadServingModel(client: GraphClient, modelsDir: string, dataset: string, version: string): Promise<ServingModel> {
  const started = performance.now();
  const { manifest, weights } = await artifactStoreFor(modelsDir, dataset).load(version);
  // the training data as the version saw it: the ingested data plus the feedback recorded up to its training
  const data = await exportTrainingData(client, dataset, { feedbackUntil: manifest.dataset.feedback?.until });
  if ((data.feedback?.interactions ?? 0) !== (manifest.dataset.feedback?.interactions ?? 0)) {
    throw new ModelError(
      'CORRUPT_ARTIFACT',
      `model ${version} of '${dataset}' was trained with ${manifest.dataset.feedback?.interactions ?? 0} feedback interactions; the graph now has ${data.feedback?.interactions ?? 0} recorded up to then: retrain it`,
    );
  }
  if (manifest.dataset.fingerprint !== data.fingerprint) {
    throw new ModelError(
      'CORRUPT_ARTIFACT',
      `model ${version} of '${dataset}' was trained on other data (fingerprint ${manifest.dataset.fingerprint.slice(0, 12)}…, the graph's is ${data.fingerprint.slice(0, 12)}…): retrain it with \`eior train --dataset ${dataset}\``,
    );
  }
  const restored = restoreModel(manifest.model, manifest.config, weights, data);
  const content = data.features.length > 0 ? buildItemFeatures(data.numItems, data.features) : null;
  return new ServingModel({
    dataset,
    manifest,
    restored,
    userIds: data.userIds,
    itemIds: data.itemIds,
    trainItems: buildUserItemIndex(data.numUsers, data.numItems, data.train),
    similarity: new ItemSimilarity(data.numUsers, data.numItems, data.train, content),
    userEnvironment: weights.get('userEnvironment') ?? null,
    data,
    mask: weights.get('mask') ?? null,
    edgeEnvironment: weights.get('environments') ?? null,
    loadSeconds: (performance.now() - started) / 1000,
  });
}
