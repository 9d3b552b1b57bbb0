// Rebuilding a trained model from what an artifact version holds (its kind, config, weights and extra weights) and
// the dataset it was trained on. Each model explains itself (RecModel.explain): EIOR gives both branches and their
// weights, InvRL and variant-only their one branch, the others a rating alone. The graph statistics a model needs
// (restoreStatsOptions) can be computed elsewhere, e.g. off a server's event loop, and handed in.
import { requireMask } from './artifacts/extra-weights';
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import { EiorModel } from './eior';
import { QUICK_EIOR_PRESET, resolveEiorConfig, type EiorConfig } from './eior-config';
import { ModelError } from './errors';
import { computeGraphStats, type GraphStats, type GraphStatsOptions } from './graph-stats';
import { readNewItemRoute } from './new-item-route';
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

export interface RestoreOptions {
  /**
   * The train graph's statistics, computed beforehand with computeGraphStats(numUsers, numItems, train,
   * restoreStatsOptions(kind, config)) (typed arrays only, so another thread can make them); computed here when absent.
   */
  stats?: GraphStats;
}

/**
 * A generator whose normal draws are zeros: a restored model's initial values are all overwritten by the stored
 * weights (setWeights refuses a snapshot that lacks one), so drawing them is wasted work.
 */
class ZeroInit extends Random {
  constructor() {
    super(0);
  }

  override normalArray(length: number): Float32Array {
    return new Float32Array(length);
  }
}

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

/** UltraGCN settings added after versions were written, with the value that reproduces those versions' training. */
const ADDED_ULTRAGCN_SETTINGS: Partial<UltraGcnConfig> = { iiContentNeighborNum: 0, iiContentWeight: 0, popularityInit: false, softmaxTemperature: 0, userHistoryWeight: 0, userHistoryFeatures: true, userHistoryLeaveOneOut: false, idPretrain: false, featurePatience: 0 };

function storedUltraGcnConfig(config: object): UltraGcnConfig {
  return validateUltraGcnConfig({ ...ADDED_ULTRAGCN_SETTINGS, ...(config as UltraGcnConfig) });
}

export function restoreModel(
  kind: string,
  config: Record<string, unknown>,
  weights: ReadonlyMap<string, Float32Array>,
  dataset: DatasetPart,
  options: RestoreOptions = {},
): RestoredModel {
  const model = restoreRecModel(kind, config, weights, dataset, options.stats);
  return { kind: kind as ModelKind, model, explain: (u, i) => model.explain(u, i) };
}

/**
 * What computeGraphStats needs for restoring a model of `kind` with its stored `config`, or null when the model
 * needs no graph statistics (popularity). Scoring needs no constraint neighbours: the statistics without content
 * neighbours (no items x items product).
 */
export function restoreStatsOptions(kind: string, config: Record<string, unknown>): GraphStatsOptions | null {
  requireModelKind(kind);
  if (kind === 'popularity') return null;
  const backbone = kind === 'ultragcn' || kind === 'ultragcn-features' ? storedUltraGcnConfig(config) : storedUltraGcnConfig((config as unknown as InvarianceModelConfig).backbone);
  return { iiNeighborNum: backbone.iiNeighborNum, iiDiagonalZero: backbone.iiDiagonalZero };
}

function requireModelKind(kind: string): asserts kind is ModelKind {
  if (!isModelKind(kind)) throw new ModelError('BAD_USER_INPUT', `model kind "${kind}" is unknown; expected one of ${MODEL_KINDS.join(', ')}`);
}

/** The given statistics when they describe this dataset's graph with these options, else BAD_USER_INPUT naming the difference. */
function statsFor(dataset: DatasetPart, backbone: UltraGcnConfig, given: GraphStats | undefined): GraphStats {
  if (!given) return computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, backbone);
  const expected: [string, number, number][] = [
    ['numUsers', given.numUsers, dataset.numUsers],
    ['numItems', given.numItems, dataset.numItems],
    ['neighborNum', given.neighborNum, backbone.iiNeighborNum],
    ['neighbors.length', given.neighbors.length, dataset.numItems * backbone.iiNeighborNum],
    ['userItems.numRows', given.userItems.numRows, dataset.numUsers],
  ];
  for (const [name, value, want] of expected) {
    if (value !== want) throw new ModelError('BAD_USER_INPUT', `graph statistics: ${name} is ${value}; expected ${want} for this dataset and model config`);
  }
  return given;
}

function restoreRecModel(kind: string, config: Record<string, unknown>, weights: ReadonlyMap<string, Float32Array>, dataset: DatasetPart, given?: GraphStats): RecModel {
  requireModelKind(kind);
  const rng = new ZeroInit();
  if (kind === 'popularity') return new PopularityModel(dataset.numUsers, dataset.numItems, dataset.train);
  if (kind === 'ultragcn' || kind === 'ultragcn-features') {
    const backbone = storedUltraGcnConfig(config);
    const model = new UltraGcn(dataset, backbone, { rng, stats: statsFor(dataset, backbone, given) });
    model.setWeights(weights);
    return model;
  }
  const stored = config as unknown as InvarianceModelConfig;
  const backbone = storedUltraGcnConfig(stored.backbone);
  const stats = statsFor(dataset, backbone, given);
  // settings added after a version was written take their defaults (they are training-time only)
  const eior = resolveEiorConfig(stored.eior ?? {}, QUICK_EIOR_PRESET);
  const mask = requireMask(kind, weights);
  if (kind === 'eior') {
    const model = new EiorModel(dataset, backbone, eior.fusion, mask, { rng, stats, newItems: readNewItemRoute(weights, backbone.featureDim) ?? undefined });
    model.setWeights(weights);
    return model;
  }
  const featureMask = kind === 'invrl' ? mask : Float32Array.from(mask, (m) => 1 - m);
  const branch = kind === 'invrl' ? 'invariant' : 'variant';
  const model = new UltraGcn(dataset, { ...backbone, useFeatures: true }, { rng, featureMask, stats, branch });
  model.setWeights(weights);
  return model;
}
