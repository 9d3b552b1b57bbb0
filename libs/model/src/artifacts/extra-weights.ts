// The weights a model version keeps besides the model's own parameters: what the invariance stage of the InvRL,
// variant-only and EIOR kinds learned. `mask` (one value per column of x) restores and explains those models;
// `environments` (one per train edge) and `userEnvironment` (one per user, -1 for none) place edges and users in
// the environments that explanations, drift reports and the graph name. This module is the one place that names
// them, packs them for ArtifactStore.save and reads them back. An EIOR version with a new-item route also keeps the
// route's weights (new-item-route.ts names, packs and reads those).
import { ModelError } from '../errors';

export const EXTRA_WEIGHT_NAMES = { mask: 'mask', environments: 'environments', userEnvironment: 'userEnvironment' } as const;

/** What the invariance stage hands to the artifact. */
export interface InvarianceWeights {
  /** m ∈ [0, 1]^d, the mask the final model used. */
  mask: Float32Array;
  /** Environment of each train edge. */
  assignment: Int32Array;
  /** Each user's environment, -1 for none. */
  userEnvironment: Int32Array;
}

/** The extra weights of a loaded version, null where it has none (the kinds without an invariance stage). */
export interface ExtraWeights {
  mask: Float32Array | null;
  environments: Float32Array | null;
  userEnvironment: Float32Array | null;
}

/**
 * Adds the invariance stage's weights, each a vector with its shape, and any `more` named weights (the new-item
 * route's) to a model's weights and shapes (in place).
 */
export function packExtraWeights(
  weights: Map<string, Float32Array>,
  shapes: Map<string, number[]>,
  invariance: InvarianceWeights,
  more: { name: string; values: Float32Array; shape: number[] }[] = [],
): void {
  const entries = [
    { name: EXTRA_WEIGHT_NAMES.mask, values: invariance.mask },
    { name: EXTRA_WEIGHT_NAMES.environments, values: Float32Array.from(invariance.assignment) },
    { name: EXTRA_WEIGHT_NAMES.userEnvironment, values: Float32Array.from(invariance.userEnvironment) },
  ].map((e) => ({ ...e, shape: [e.values.length] }));
  for (const { name, values, shape } of [...entries, ...more]) {
    if (weights.has(name)) throw new ModelError('BAD_USER_INPUT', `weights "${name}": the model has a parameter of that name; expected it free for the artifact's extra weights`);
    weights.set(name, values);
    shapes.set(name, shape);
  }
}

export function readExtraWeights(weights: ReadonlyMap<string, Float32Array>): ExtraWeights {
  return {
    mask: weights.get(EXTRA_WEIGHT_NAMES.mask) ?? null,
    environments: weights.get(EXTRA_WEIGHT_NAMES.environments) ?? null,
    userEnvironment: weights.get(EXTRA_WEIGHT_NAMES.userEnvironment) ?? null,
  };
}

/** The feature mask a kind with an invariance stage cannot be restored without. */
export function requireMask(kind: string, weights: ReadonlyMap<string, Float32Array>): Float32Array {
  const { mask } = readExtraWeights(weights);
  if (!mask) throw new ModelError('CORRUPT_ARTIFACT', `a ${kind} model needs its feature mask; the artifact has no "${EXTRA_WEIGHT_NAMES.mask}" weights`);
  return mask;
}
