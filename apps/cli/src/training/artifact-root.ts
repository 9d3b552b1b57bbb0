// Where a dataset's model versions live: <state dir>/models/<dataset> (an ArtifactStore root). `eior train`
// writes there and `eior explain` reads the current version from there; `modelsDir` is the API's name for the parent.
import path from 'node:path';
import type { CliConfig } from '../config';

export function modelsDir(config: CliConfig): string {
  return path.join(config.stateDir, 'models');
}

export function artifactRoot(config: CliConfig, dataset: string): string {
  return path.join(modelsDir(config), dataset);
}
