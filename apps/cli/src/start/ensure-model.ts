// The main job's model: the dataset's current version when an EIOR version was trained on the data now in the
// graph, else a new EIOR version trained with the quick preset (the same run as `eior train --model eior`), after
// tuning its backbone within a budget when asked to (the same run as `eior tune`; the serving main job tunes in the
// background instead, start/background-tuning.ts). A
// version below popularity on validation is never served silently: the job then serves the best version it has on
// this data, popularity included (trained when missing), and says which.
import { makeVersionCurrent } from '@eior/api';
import { requireDataset, tunedSettings, type GraphClient } from '@eior/graph';
import { formatDuration } from '../commands/options';
import type { ArtifactManifest } from '@eior/model';
import type { CliConfig } from '../config';
import { say } from '../output';
import { artifactRoot, modelsDir } from '../training/artifact-root';
import { resolveEiorFlags } from '../training/eior-options';
import { runTraining, tuningKinds, type TrainReport } from '../training/train-run';
import { runTuning } from '../training/tune-run';

/** What the main job spends tuning data that has no tuned settings (`npm start -- --budget`, `--no-tune`). */
export const DEFAULT_START_TUNE_BUDGET_SECONDS = 10 * 60;

export interface EnsuredModel {
  /** The version that serves. */
  version: string;
  /** Its kind: eior, or popularity (or another stored kind) when EIOR did not clear popularity. */
  model: string;
  trained: boolean;
  seconds: number;
  test: Record<string, number>;
  /** Validation NDCG@20 over popularity's − 1; null when unknown (a version written before runs scored it). */
  liftOverPopularity: number | null;
}

/** Whether the data now in the graph has no tuned settings for EIOR's backbone yet. */
export async function needsTuning(client: GraphClient, dataset: string): Promise<boolean> {
  const meta = await requireDataset(client, dataset);
  return !(await tunedSettings(client, dataset, meta.fingerprint, tuningKinds('eior')));
}

/** `tuneBudgetSeconds`: tune first within this when the data has no tuned settings; null never tunes. */
export async function ensureEiorModel(config: CliConfig, client: GraphClient, dataset: string, tuneBudgetSeconds: number | null): Promise<EnsuredModel> {
  const lib = await import('@eior/model');
  const meta = await requireDataset(client, dataset);
  const store = new lib.ArtifactStore(artifactRoot(config, dataset));
  const onThisData = async () => (await store.list()).filter((m) => m.dataset.fingerprint === meta.fingerprint);
  const current = await store.current().catch(() => null);
  const stored = await onThisData();
  const servingNow = stored.find((m) => m.version === current);
  if (servingNow && stored.some((m) => m.model === 'eior')) {
    say(`using ${servingNow.model} ${servingNow.version} of '${dataset}' (trained ${servingNow.createdAt}${floorWords(lib, servingNow)})`);
    return ensured(lib, servingNow, false, 0);
  }
  const started = performance.now();
  let eior: TrainReport | null = null;
  if (tuneBudgetSeconds !== null && (await needsTuning(client, dataset))) {
    say(`'${dataset}' has no tuned settings: tuning EIOR's backbone on validation within ${formatDuration(tuneBudgetSeconds)} (change with --budget, skip with --no-tune), then training EIOR with the best`);
    eior = (await runTuning(config, client, { dataset, model: 'eior', preset: 'tiktok', seed: 1, budgetSeconds: tuneBudgetSeconds, maxEpochs: 27 })).training;
  }
  if (!eior) {
    say(`training EIOR on '${dataset}' with the quick preset (backbone, invariance, final model)`);
    eior = await runTraining(config, client, { dataset, model: 'eior', preset: 'tiktok', overrides: {}, protocol: 'standard', eior: resolveEiorFlags({}, lib) });
  }
  const seconds = () => (performance.now() - started) / 1000;
  if (eior.current) return ensured(lib, await store.manifest(eior.version), true, seconds());
  say(`EIOR ${eior.version} is below popularity on validation (${lib.describeComparison(eior.floor)}): serving the best version of '${dataset}' instead`);
  if (!(await onThisData()).some((m) => m.model === 'popularity')) {
    await runTraining(config, client, { dataset, model: 'popularity', preset: 'tiktok', overrides: {}, protocol: 'standard' });
  }
  const best = bestOf(await onThisData());
  if (best.version !== (await store.current().catch(() => null))) await makeVersionCurrent(client, modelsDir(config), dataset, best.version, { force: false });
  say(`serving ${best.model} ${best.version} of '${dataset}'${floorWords(lib, best)}`);
  return ensured(lib, best, true, seconds());
}

/** The stored version with the highest validation NDCG@20 (the newest among equals). */
function bestOf(manifests: ArtifactManifest[]): ArtifactManifest {
  const score = (m: ArtifactManifest) => m.metrics.valid['ndcg@20'] ?? Number.NEGATIVE_INFINITY;
  return manifests.reduce((a, b) => (score(b) >= score(a) ? b : a));
}

type ModelLib = typeof import('@eior/model');

function floorWords(lib: ModelLib, m: ArtifactManifest): string {
  const c = lib.storedComparison(m.metrics);
  return c ? `; ${lib.describeComparison(c)}` : '';
}

function ensured(lib: ModelLib, m: ArtifactManifest, trained: boolean, seconds: number): EnsuredModel {
  return { version: m.version, model: m.model, trained, seconds, test: m.metrics.test, liftOverPopularity: lib.storedComparison(m.metrics)?.lift ?? null };
}
