// Where a dataset's model versions live: <state dir>/models/<dataset> (an ArtifactStore root). `eior train`
// writes there; `eior explain` and the API read the current version from there.
import path from 'node:path';
import type { CliConfig } from '../config';

/** <state dir>/models: the API's `modelsDir` (apps/api config) is the same folder. */
export function modelsDir(config: CliConfig): string {
  return path.join(config.stateDir, 'models');
}

export function artifactRoot(config: CliConfig, dataset: string): string {
  return path.join(modelsDir(config), dataset);
}
