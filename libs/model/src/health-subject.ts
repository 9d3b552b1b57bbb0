// What explanation health (explanation-health.ts) needs from a trained model beyond the RecModel contract: each
// pair's score parts per branch with the branch's weight, and a copy of the model with one modality's block of x
// zeroed (the same weights), for the faithfulness check of docs/method.md#7-explanations.
import { EiorModel } from './eior';
import { Random } from './random';
import type { BranchParts } from './score-parts';
import { UltraGcn } from './ultragcn';
import type { FeatureMatrix, RecDataset, RecModel } from './types';

/** One branch of a pair's rating: rating = Σ weight · parts.score. */
export interface WeightedParts {
  branch: 'invariant' | 'variant' | 'single';
  weight: number;
  parts: BranchParts;
}

export interface HealthSubject {
  model: RecModel;
  /** The pair's branches, or null where the model's score has no parts (ID-only UltraGCN, popularity). */
  branches(user: number, item: number): WeightedParts[] | null;
  /** The modalities whose blocks can be zeroed, in the order of x. */
  modalities: string[];
  /** The same model with `modality`'s features missing for every item (its block of x all zero); null if not rebuildable. */
  withoutModality: ((modality: string) => HealthSubject & { dispose(): void }) | null;
}

type DatasetPart = Pick<RecDataset, 'numUsers' | 'numItems' | 'train' | 'features'>;

/** Parts from explain(): EIOR's two branches, InvRL's or the variant-only model's one branch at weight 1. */
function explainedBranches(model: RecModel, user: number, item: number): WeightedParts[] | null {
  const e = model.explain(user, item);
  const out: WeightedParts[] = [];
  if (e.invariant) out.push({ branch: 'invariant', weight: e.invariantWeight ?? 1, parts: e.invariant });
  if (e.variant) out.push({ branch: 'variant', weight: e.variantWeight ?? 1, parts: e.variant });
  return out.length ? out : null;
}

/**
 * The subject for a trained model: EiorModel and UltraGcn (any mask, any branch) are rebuilt on features with a
 * zeroed modality (a missing modality is a zero block of x whatever the centring, features.ts); a plain
 * multimodal UltraGCN's parts come from scoreParts. Other models give parts only through explain().
 */
export function healthSubject(model: RecModel, dataset: DatasetPart, featureMask?: Float32Array): HealthSubject {
  const withFeatures = (features: FeatureMatrix[]): DatasetPart => ({ ...dataset, features });
  const zeroed = (modality: string): FeatureMatrix[] =>
    dataset.features.map((f) => (f.modality === modality ? { ...f, data: new Float32Array(f.data.length) } : f));
  // the copies get every weight, so the generator behind their initialisation does not matter
  if (model instanceof EiorModel) {
    return {
      model,
      branches: (u, i) => explainedBranches(model, u, i),
      modalities: model.blocks.map((b) => b.modality),
      withoutModality: (modality) => {
        // the copy keeps the route's calibration: refitted on the copy's ratings it would move the new items' scores
        const spec = model.newItemRoute?.spec;
        const newItems = spec?.calibration ? spec : undefined;
        const copy = new EiorModel(withFeatures(zeroed(modality)), model.backbone, model.fusion, model.mask, { stats: model.stats, rng: new Random(0), newItems });
        copy.setWeights(model.getWeights());
        return { ...healthSubject(copy, dataset), withoutModality: null, dispose: () => copy.dispose() };
      },
    };
  }
  if (model instanceof UltraGcn && model.config.useFeatures) {
    const branches = model.branch
      ? (u: number, i: number) => explainedBranches(model, u, i)
      : (u: number, i: number): WeightedParts[] => [{ branch: 'single', weight: 1, parts: model.scoreParts(u, i) }];
    return {
      model,
      branches,
      modalities: model.blocks.map((b) => b.modality),
      withoutModality: (modality) => {
        const options = { stats: model.stats, branch: model.branch ?? undefined, featureMask };
        const copy = new UltraGcn(withFeatures(zeroed(modality)), model.config, options);
        copy.setWeights(model.getWeights());
        return { ...healthSubject(copy, dataset, featureMask), withoutModality: null, dispose: () => copy.dispose() };
      },
    };
  }
  return { model, branches: (u, i) => explainedBranches(model, u, i), modalities: [], withoutModality: null };
}
