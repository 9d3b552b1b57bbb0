// Rebuilding a trained model from what an artifact version holds (its kind, config, weights and extra weights) and
// the dataset it was trained on. Each model explains itself (RecModel.explain): EIOR gives both branches and their
// weights, InvRL and variant-only their one branch, the others a rating alone.
import { requireMask } from './artifacts/extra-weights';
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import { EiorModel } from './eior';
import { QUICK_EIOR_PRESET, resolveEiorConfig, type EiorConfig } from './eior-config';
import { ModelError } from './errors';
import { computeGraphStats } from './graph-stats';
import { PopularityModel } from './popularity';
import { Random } from './random';
import type { Explanation, RecDataset, RecModel } from './types';
import { UltraGcn } from './ultragcn';

export const MODEL_KINDS = ['popularity', 'ultragcn', 'ultragcn-features', 'invrl', 'variant', 'eior'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The config an artifact of an InvRL, variant-only or EIOR model stores. */
export interface InvarianceModelConfig {
  backbone: UltraGcnConfig;
  eior: EiorConfig;
}

export interface RestoredModel {
  kind: ModelKind;
  model: RecModel;
  /** The model's own explanation (RecModel.explain). */
  explain(user: number, item: number): Explanation;
}

type DatasetPart = Pick<RecDataset, 'numUsers' | 'numItems' | 'train' | 'features'>;

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

/** UltraGCN settings added after versions were written, with the value that reproduces those versions' training. */
const ADDED_ULTRAGCN_SETTINGS: Partial<UltraGcnConfig> = { iiContentNeighborNum: 0, iiContentWeight: 0, popularityInit: false, softmaxTemperature: 0, userHistoryWeight: 0 };

function storedUltraGcnConfig(config: object): UltraGcnConfig {
  return validateUltraGcnConfig({ ...ADDED_ULTRAGCN_SETTINGS, ...(config as UltraGcnConfig) });
}

export function restoreModel(kind: string, config: Record<string, unknown>, weights: ReadonlyMap<string, Float32Array>, dataset: DatasetPart): RestoredModel {
  const model = restoreRecModel(kind, config, weights, dataset);
  return { kind: kind as ModelKind, model, explain: (u, i) => model.explain(u, i) };
}

function restoreRecModel(kind: string, config: Record<string, unknown>, weights: ReadonlyMap<string, Float32Array>, dataset: DatasetPart): RecModel {
  if (!isModelKind(kind)) throw new ModelError('BAD_USER_INPUT', `model kind "${kind}" is unknown; expected one of ${MODEL_KINDS.join(', ')}`);
  const rng = new Random(0); // initial values are overwritten by the stored weights
  if (kind === 'popularity') return new PopularityModel(dataset.numUsers, dataset.numItems, dataset.train);
  if (kind === 'ultragcn' || kind === 'ultragcn-features') {
    const backbone = storedUltraGcnConfig(config);
    // scoring needs no constraint neighbours: the statistics without content neighbours (no items x items product)
    const model = new UltraGcn(dataset, backbone, { rng, stats: computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, backbone) });
    model.setWeights(weights);
    return model;
  }
  const stored = config as unknown as InvarianceModelConfig;
  const backbone = storedUltraGcnConfig(stored.backbone);
  const stats = computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, backbone);
  // settings added after a version was written take their defaults (they are training-time only)
  const eior = resolveEiorConfig(stored.eior ?? {}, QUICK_EIOR_PRESET);
  const mask = requireMask(kind, weights);
  if (kind === 'eior') {
    const model = new EiorModel(dataset, backbone, eior.fusion, mask, { rng, stats });
    model.setWeights(weights);
    return model;
  }
  const featureMask = kind === 'invrl' ? mask : Float32Array.from(mask, (m) => 1 - m);
  const branch = kind === 'invrl' ? 'invariant' : 'variant';
  const model = new UltraGcn(dataset, { ...backbone, useFeatures: true }, { rng, featureMask, stats, branch });
  model.setWeights(weights);
  return model;
}
