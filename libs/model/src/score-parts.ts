// The exact split of a multimodal score (docs/method.md#7-explanations): with e_i = [V_i ; W x_i + b] the projection is linear,
// so e_u · e_i = e_u_id · V_i + e_u_f · b + Σ_modality e_u_f · W_m x_i,m, one term per block of x.
import type { ItemFeatures } from './features';
import type { RowTable } from './sparse-ops';

/** One score split into its parts: score = id + bias + Σ modalities. */
export interface BranchParts {
  score: number;
  /** e_u_id · V_i */
  id: number;
  /** e_u_f · b */
  bias: number;
  /** e_u_f · W x_i restricted to each modality's block of x (x as the branch sees it, mask applied). */
  modalities: { modality: string; contribution: number }[];
}

/** (W e_u_f)_j for every column j of x: the user's side of every modality contribution, reusable across items. */
export function projectUser(eu: Float32Array, W: Float32Array, idDim: number, featureDim: number): Float64Array {
  const columns = W.length / featureDim;
  const q = new Float64Array(columns);
  for (let j = 0; j < columns; j++) {
    let s = 0;
    for (let k = 0; k < featureDim; k++) s += W[j * featureDim + k] * eu[idDim + k];
    q[j] = s;
  }
  return q;
}

/**
 * Splits e_u · [V_i ; W x_i + b] with e_u = [id ; f] (W [d, featureDim] row-major, x from `table`); `projected`
 * is projectUser's result when the caller explains several items for one user.
 */
export function splitScore(
  eu: Float32Array,
  V: Float32Array,
  W: Float32Array,
  b: Float32Array,
  table: RowTable,
  item: number,
  blocks: ItemFeatures['blocks'],
  projected?: Float64Array,
): BranchParts {
  const idDim = V.length;
  const featureDim = b.length;
  let id = 0;
  for (let k = 0; k < idDim; k++) id += eu[k] * V[k];
  let bias = 0;
  for (let k = 0; k < featureDim; k++) bias += eu[idDim + k] * b[k];
  const x = table.data.subarray(item * table.width, (item + 1) * table.width);
  const modalities = blocks.map(({ modality, offset, width }) => {
    let contribution = 0;
    for (let j = offset; j < offset + width; j++) {
      if (x[j] === 0) continue;
      let q = 0; // (W e_u_f)_j
      if (projected) q = projected[j];
      else for (let k = 0; k < featureDim; k++) q += W[j * featureDim + k] * eu[idDim + k];
      contribution += x[j] * q;
    }
    return { modality, contribution };
  });
  return { score: id + bias + modalities.reduce((a, m) => a + m.contribution, 0), id, bias, modalities };
}
