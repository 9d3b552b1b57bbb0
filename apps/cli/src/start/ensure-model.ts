// The main job's model: the dataset's current EIOR version when it was trained on the data now in the graph,
// else a new one trained with the quick EIOR preset (the same run as `eior train --model eior`).
import { requireDataset, type GraphClient } from '@eior/graph';
import type { CliConfig } from '../config';
import { say } from '../output';
import { artifactRoot } from '../training/artifact-root';
import { resolveEiorFlags } from '../training/eior-options';
import { runTraining } from '../training/train-run';

export interface EnsuredModel {
  version: string;
  trained: boolean;
  seconds: number;
  test: Record<string, number>;
}

export async function ensureEiorModel(config: CliConfig, client: GraphClient, dataset: string): Promise<EnsuredModel> {
  const lib = await import('@eior/model');
  const meta = await requireDataset(client, dataset);
  const store = new lib.ArtifactStore(artifactRoot(config, dataset));
  const current = await store.current().catch(() => null);
  if (current) {
    const manifest = (await store.list()).find((m) => m.version === current);
    if (manifest && manifest.model === 'eior' && manifest.dataset.fingerprint === meta.fingerprint) {
      say(`using the EIOR model ${current} of '${dataset}' (trained ${manifest.createdAt})`);
      return { version: current, trained: false, seconds: 0, test: manifest.metrics.test };
    }
  }
  say(`training EIOR on '${dataset}' with the quick preset (backbone, invariance, final model)`);
  const report = await runTraining(config, client, {
    dataset,
    model: 'eior',
    preset: 'tiktok',
    overrides: {},
    protocol: 'standard',
    eior: resolveEiorFlags({}, lib),
  });
  return { version: report.version, trained: true, seconds: report.seconds.total, test: report.metrics.test };
}
