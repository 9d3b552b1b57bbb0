// The setup integration tests share: a generated dataset ingested into the test graph (replacing one left by an
// earlier run), its training export, and, when asked, a tiny EIOR model trained through the CLI into `home`.
import path from 'node:path';
import { dropDataset, exportTrainingData, generateDataset, ingestDataset, type GraphClient, type TrainingExport } from '../../libs/graph/src';
import { lastJsonLine, runCli } from './cli';

/** EIOR settings small enough for tests: one round of inference, two mask and two fusion epochs. */
export const TINY_EIOR = 'environments.numEnvironments=3,environments.epochs=1,environments.maxRounds=1,mask.epochs=2,mask.alternations=1,fusion.epochs=2';

export interface DatasetSpec {
  name: string;
  /** Where the generated files go (a test's temporary folder). */
  dir: string;
  users?: number;
  items?: number;
  interactions?: number;
  seed?: number;
  /** Changes the files before ingestion (e.g. to drop their timestamps). */
  edit?: (dir: string) => void;
}

export async function ingestGenerated(client: GraphClient, spec: DatasetSpec): Promise<TrainingExport> {
  await dropDataset(client, spec.name);
  const dir = path.join(spec.dir, 'data');
  await generateDataset(dir, { users: spec.users ?? 300, items: spec.items ?? 150, interactions: spec.interactions ?? 6000, seed: spec.seed ?? 3 });
  spec.edit?.(dir);
  await ingestDataset(client, { dataset: spec.name, dir });
  return exportTrainingData(client, spec.name);
}

/**
 * Trains a tiny EIOR model on the dataset with the built CLI, models under `home`; returns the version. Two epochs
 * are far below popularity on validation, so it is made current with --force: the tests that use it check the
 * plumbing (explanations, serving, drift), not quality; test/integration/models.test.ts checks the floor.
 */
export async function trainTinyEior(name: string, home: string): Promise<string> {
  const run = await runCli(['train', '--dataset', name, '--model', 'eior', '--epochs', '2', '--seed', '5', '--eior-set', TINY_EIOR, '--force', '--json'], { ...process.env, EIOR_HOME: home });
  if (run.code !== 0) throw new Error(`train failed: ${run.stderr}`);
  return lastJsonLine(run.stdout).version as string;
}
