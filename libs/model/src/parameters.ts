// The parameter bookkeeping every model shares: named Float32Array parameters with their shapes, copied out and
// back as weight snapshots, and the index check every scoring and training entry point runs.
import type { AdamParameter } from './adam';
import { ModelError } from './errors';
import type { WeightSnapshot } from './types';

export interface ShapedParameter extends AdamParameter {
  shape: number[];
}

/** A copy of every parameter's values by name. */
export function snapshotWeights(params: readonly ShapedParameter[]): WeightSnapshot {
  return new Map(params.map((p) => [p.name, p.value.slice()]));
}

/** Shape of each parameter by name, e.g. user [numUsers, dim]: artifacts record them. */
export function parameterShapes(params: readonly ShapedParameter[]): Map<string, number[]> {
  return new Map(params.map((p) => [p.name, [...p.shape]]));
}

/** Sets every parameter from `weights` (extra entries are ignored); a missing or mis-sized one is refused. */
export function assignWeights(params: readonly ShapedParameter[], weights: WeightSnapshot): void {
  for (const p of params) {
    const w = weights.get(p.name);
    if (!w || w.length !== p.value.length) {
      throw new ModelError('BAD_USER_INPUT', `weights "${p.name}": ${w ? `${w.length} values` : 'missing'}; expected ${p.value.length} values`);
    }
    p.value.set(w);
  }
}

export function findParameter(params: readonly ShapedParameter[], name: string): ShapedParameter {
  const p = params.find((q) => q.name === name);
  if (!p) throw new Error(`no parameter "${name}"`);
  return p;
}

/** Refuses any index outside 0..limit-1, naming it, its position and the range. */
export function checkIndexes(values: Int32Array, limit: number, what: string): void {
  for (let k = 0; k < values.length; k++) {
    if (values[k] < 0 || values[k] >= limit) throw new ModelError('BAD_USER_INPUT', `${what} index ${values[k]} at position ${k}; expected 0..${limit - 1}`);
  }
}
