// The item content vector of InvRL (docs/method.md#data): x_i = concatenation of the row-wise L2-normalised
// modality blocks; a modality missing for an item (an all-zero row) stays a zero block. Optionally each block is
// centred first (its column means over the items that have it subtracted): TikTok's visual vectors are
// non-negative and share one large mean (mean-vector norm 30.6 against row norms of about 33), so after plain
// L2 normalisation every item's visual block is nearly the same unit vector and the differences are tiny.
import { ModelError } from './errors';
import type { FeatureMatrix } from './types';

/** x for every item, row-major [numItems, width], and where each modality's block starts. */
export interface ItemFeatures {
  numItems: number;
  width: number;
  data: Float32Array;
  blocks: { modality: string; offset: number; width: number }[];
}

export interface ItemFeatureOptions {
  /** Subtract each block's column means (over the items whose row is not all zero) before normalising. */
  center?: boolean;
}

/** Concatenates the modalities after (optionally centring and) scaling each row of each block to unit L2 norm. */
export function buildItemFeatures(numItems: number, features: readonly FeatureMatrix[], options: ItemFeatureOptions = {}): ItemFeatures {
  const blocks: ItemFeatures['blocks'] = [];
  let width = 0;
  for (const f of features) {
    if (!Number.isInteger(f.width) || f.width < 1) {
      throw new ModelError('BAD_USER_INPUT', `features "${f.modality}": width ${f.width}; expected a positive integer`);
    }
    if (f.data.length !== numItems * f.width) {
      throw new ModelError('BAD_USER_INPUT', `features "${f.modality}": ${f.data.length} values; expected numItems x width = ${numItems} x ${f.width} = ${numItems * f.width}`);
    }
    blocks.push({ modality: f.modality, offset: width, width: f.width });
    width += f.width;
  }
  const data = new Float32Array(numItems * width);
  features.forEach((f, m) => {
    const { offset } = blocks[m];
    const present = new Uint8Array(numItems); // 0 for a missing modality (an all-zero row)
    const mean = new Float64Array(f.width);
    let count = 0;
    for (let i = 0; i < numItems; i++) {
      for (let c = 0; c < f.width; c++) {
        const v = f.data[i * f.width + c];
        if (!Number.isFinite(v)) {
          throw new ModelError('BAD_USER_INPUT', `features "${f.modality}": item ${i}, column ${c} is ${v}; expected a finite number`);
        }
        if (v !== 0) present[i] = 1;
      }
      if (options.center && present[i]) {
        count++;
        for (let c = 0; c < f.width; c++) mean[c] += f.data[i * f.width + c];
      }
    }
    if (count > 0) for (let c = 0; c < f.width; c++) mean[c] /= count;
    const row = new Float64Array(f.width);
    for (let i = 0; i < numItems; i++) {
      if (!present[i]) continue; // a missing modality stays a zero block
      let sq = 0;
      for (let c = 0; c < f.width; c++) {
        row[c] = f.data[i * f.width + c] - (options.center ? mean[c] : 0);
        sq += row[c] * row[c];
      }
      // F.normalize's eps: a zero row stays zero instead of becoming NaN
      const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
      for (let c = 0; c < f.width; c++) data[i * width + offset + c] = row[c] * scale;
    }
  });
  return { numItems, width, data, blocks };
}

/** x ⊙ m for every item: a copy of `x` with column c scaled by mask[c] (InvRL's feature mask). */
export function maskItemFeatures(x: ItemFeatures, mask: Float32Array): ItemFeatures {
  if (mask.length !== x.width) throw new ModelError('BAD_USER_INPUT', `feature mask has ${mask.length} values; expected one per feature column, ${x.width}`);
  for (let c = 0; c < mask.length; c++) {
    if (!(mask[c] >= 0 && mask[c] <= 1)) throw new ModelError('BAD_USER_INPUT', `feature mask value ${mask[c]} at column ${c}; expected a number in [0, 1]`);
  }
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < x.numItems; i++) {
    const row = i * x.width;
    for (let c = 0; c < x.width; c++) data[row + c] = x.data[row + c] * mask[c];
  }
  return { ...x, data };
}
