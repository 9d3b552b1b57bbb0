// The item content vector of InvRL (METHOD.md "Data"): x_i = concatenation of the row-wise L2-normalised
// modality blocks; a modality missing for an item (an all-zero row) stays a zero block.
import { ModelError } from './errors';
import type { FeatureMatrix } from './types';

/** x for every item, row-major [numItems, width], and where each modality's block starts. */
export interface ItemFeatures {
  numItems: number;
  width: number;
  data: Float32Array;
  blocks: { modality: string; offset: number; width: number }[];
}

/** Concatenates the modalities after scaling each row of each block to unit L2 norm. */
export function buildItemFeatures(numItems: number, features: readonly FeatureMatrix[]): ItemFeatures {
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
    for (let i = 0; i < numItems; i++) {
      let sq = 0;
      for (let c = 0; c < f.width; c++) {
        const v = f.data[i * f.width + c];
        if (!Number.isFinite(v)) {
          throw new ModelError('BAD_USER_INPUT', `features "${f.modality}": item ${i}, column ${c} is ${v}; expected a finite number`);
        }
        sq += v * v;
      }
      // F.normalize's eps: a zero row stays zero instead of becoming NaN
      const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
      for (let c = 0; c < f.width; c++) data[i * width + offset + c] = f.data[i * f.width + c] * scale;
    }
  });
  return { numItems, width, data, blocks };
}
