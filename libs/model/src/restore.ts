// Rebuilding a trained model from what an artifact version holds (its kind, config and weights) and the dataset it
// was trained on, and explaining any pair with whatever the model has: EIOR gives both branches and their weights,
// InvRL and variant-only give their one branch, the others a rating alone.
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import { EiorModel, type PairExplanation } from './eior';
import { QUICK_EIOR_PRESET, resolveEiorConfig, type EiorConfig } from './eior-config';
import { ModelError } from './errors';
import { computeGraphStats } from './graph-stats';
import { PopularityModel } from './popularity';
import { Random } from './random';
import type { BranchParts } from './score-parts';
import type { RecDataset, RecModel } from './types';
import { UltraGcn } from './ultragcn';

export const MODEL_KINDS = ['popularity', 'ultragcn', 'ultragcn-features', 'invrl', 'variant', 'eior'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The config an artifact of an InvRL, variant-only or EIOR model stores. */
export interface InvarianceModelConfig {
  backbone: UltraGcnConfig;
  eior: EiorConfig;
}

/** A pair's explanation from any model; the branch fields are null where the model has no such branch. */
export interface Explanation {
  rating: number;
  invariantWeight: number | null;
  variantWeight: number | null;
  invariant: BranchParts | null;
  variant: BranchParts | null;
}

export interface RestoredModel {
  kind: ModelKind;
  model: RecModel;
  explain(user: number, item: number): Explanation;
}

type DatasetPart = Pick<RecDataset, 'numUsers' | 'numItems' | 'train' | 'features'>;

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

/** UltraGCN settings added after versions were written, with the value that reproduces those versions' training. */
const ADDED_ULTRAGCN_SETTINGS: Partial<UltraGcnConfig> = { iiContentNeighborNum: 0, iiContentWeight: 0, popularityInit: false };

function storedUltraGcnConfig(config: object): UltraGcnConfig {
  return validateUltraGcnConfig({ ...ADDED_ULTRAGCN_SETTINGS, ...(config as UltraGcnConfig) });
}

export function restoreModel(kind: string, config: Record<string, unknown>, weights: ReadonlyMap<string, Float32Array>, dataset: DatasetPart): RestoredModel {
  if (!isModelKind(kind)) throw new ModelError('BAD_USER_INPUT', `model kind "${kind}" is unknown; expected one of ${MODEL_KINDS.join(', ')}`);
  const rng = new Random(0); // initial values are overwritten by the stored weights
  if (kind === 'popularity') {
    const model = new PopularityModel(dataset.numUsers, dataset.numItems, dataset.train);
    return { kind, model, explain: (u, i) => ({ rating: model.scorePairs(Int32Array.of(u), Int32Array.of(i))[0], invariantWeight: null, variantWeight: null, invariant: null, variant: null }) };
  }
  if (kind === 'ultragcn' || kind === 'ultragcn-features') {
    const backbone = storedUltraGcnConfig(config);
    // scoring needs no constraint neighbours: the statistics without content neighbours (no items x items product)
    const model = new UltraGcn(dataset, backbone, { rng, stats: computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, backbone) });
    model.setWeights(weights);
    return { kind, model, explain: (u, i) => ({ rating: model.scoreParts(u, i).score, invariantWeight: null, variantWeight: null, invariant: null, variant: null }) };
  }
  const stored = config as unknown as InvarianceModelConfig;
  const backbone = storedUltraGcnConfig(stored.backbone);
  const stats = computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, backbone);
  // settings added after a version was written take their defaults (they are training-time only)
  const eior = resolveEiorConfig(stored.eior ?? {}, QUICK_EIOR_PRESET);
  const mask = weights.get('mask');
  if (!mask) throw new ModelError('CORRUPT_ARTIFACT', `a ${kind} model needs its feature mask; the artifact has no "mask" weights`);
  if (kind === 'eior') {
    const model = new EiorModel(dataset, backbone, eior.fusion, mask, { rng, stats });
    model.setWeights(weights);
    return { kind, model, explain: (u, i): PairExplanation => model.explain(u, i) };
  }
  const featureMask = kind === 'invrl' ? mask : Float32Array.from(mask, (m) => 1 - m);
  const model = new UltraGcn(dataset, { ...backbone, useFeatures: true }, { rng, featureMask, stats });
  model.setWeights(weights);
  return {
    kind,
    model,
    explain: (u, i) => {
      const parts = model.scoreParts(u, i);
      return kind === 'invrl'
        ? { rating: parts.score, invariantWeight: 1, variantWeight: 0, invariant: parts, variant: null }
        : { rating: parts.score, invariantWeight: 0, variantWeight: 1, invariant: null, variant: parts };
    },
  };
}
