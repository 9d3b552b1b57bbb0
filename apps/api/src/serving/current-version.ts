// Making a stored model version the one a dataset serves. `eior train`, `eior models use` and the useModelVersion
// mutation all go through here, so the checks are the same everywhere: the version loads, it was trained on the
// data now in the graph, and it clears the popularity floor on validation unless forced.
import { requireDataset, setCurrentModelRun, type GraphClient } from '@eior/graph';
import { describeComparison, storedComparison, type ArtifactManifest, type PopularityComparison } from '@eior/model';
import { ApiError } from '../errors';
import { artifactStoreFor } from './load-serving-model';

export interface CurrentVersionChange {
  dataset: string;
  version: string;
  model: string;
  /** The version current before (null when none was); equal to `version` when nothing changed. */
  previous: string | null;
  /** How the version compares with popularity on validation; null for versions written before runs scored it. */
  comparison: PopularityComparison | null;
  /** True when it is below popularity and was made current only because the caller forced it. */
  forced: boolean;
}

/** Why a version may not become current, or null when it may. */
export function refusalOf(dataset: string, manifest: ArtifactManifest, comparison: PopularityComparison | null, force: boolean): string | null {
  if (!comparison || comparison.clears || force) return null;
  return `${manifest.model} ${manifest.version} of '${dataset}' is not made current: its ${describeComparison(comparison)}; a popularity list would serve better (use --force, or force: true, to serve it anyway)`;
}

export async function makeVersionCurrent(
  client: GraphClient,
  modelsDir: string,
  dataset: string,
  version: string,
  options: { force: boolean },
): Promise<CurrentVersionChange> {
  const store = artifactStoreFor(modelsDir, dataset);
  const manifest = await store.manifest(version);
  const { fingerprint, fingerprints } = await requireDataset(client, dataset);
  // a version trained before appends may serve again (the users and items it knows); one of other data may not
  if (manifest.dataset.fingerprint !== fingerprint && !(fingerprints ?? []).includes(manifest.dataset.fingerprint)) {
    throw new ApiError(
      'CONFLICT',
      `${manifest.model} ${version} of '${dataset}' was trained on other data (fingerprint ${manifest.dataset.fingerprint.slice(0, 12)}…, the graph's is ${fingerprint.slice(0, 12)}…): it cannot serve; train a new version`,
    );
  }
  const comparison = storedComparison(manifest.metrics);
  const refusal = refusalOf(dataset, manifest, comparison, options.force);
  if (refusal) throw new ApiError('BAD_USER_INPUT', refusal);
  const previous = await store.current().catch(() => null);
  await store.setCurrent(version); // verifies every weights file first; a corrupt version leaves the pointer alone
  await setCurrentModelRun(client, dataset, version);
  return { dataset, version, model: manifest.model, previous, comparison, forced: comparison !== null && !comparison.clears };
}
