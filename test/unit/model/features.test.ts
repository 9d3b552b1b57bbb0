import { buildItemFeatures } from '@eior/model';
import { tinyDataset } from './fixtures';

describe('buildItemFeatures', () => {
  const data = tinyDataset();
  const x = buildItemFeatures(data.numItems, data.features);

  it('concatenates the modalities after scaling each row of each block to unit length', () => {
    expect(x.width).toBe(5);
    expect(x.blocks).toEqual([
      { modality: 'image', offset: 0, width: 3 },
      { modality: 'audio', offset: 3, width: 2 },
    ]);
    // item 0: image [1, 0, 2] / sqrt(5), audio [1, 2] / sqrt(5)
    const row0 = Array.from(x.data.subarray(0, 5));
    [1, 0, 2, 1, 2].forEach((v, c) => expect(row0[c]).toBeCloseTo(v / Math.sqrt(5), 6));
    // item 1: image [0, 3, 4] / 5, audio [0, 1]
    const row1 = Array.from(x.data.subarray(5, 10));
    [0, 0.6, 0.8, 0, 1].forEach((v, c) => expect(row1[c]).toBeCloseTo(v, 6));
  });

  it('keeps a missing modality (an all-zero row) as a zero block', () => {
    expect(Array.from(x.data.subarray(28, 30))).toEqual([0, 0]); // item 5, audio
  });

  it('refuses a matrix whose size does not match numItems x width', () => {
    expect(() => buildItemFeatures(6, [{ modality: 'text', width: 4, data: new Float32Array(10) }])).toThrow(/10 values; expected numItems x width = 6 x 4 = 24/);
  });

  it('refuses a non-finite value and names where it is', () => {
    expect(() => buildItemFeatures(1, [{ modality: 'text', width: 2, data: Float32Array.from([1, Number.NaN]) }])).toThrow(/item 0, column 1 is NaN/);
  });

  it('centres each block on the column means of the items that have it before normalising, when asked', () => {
    const c = buildItemFeatures(data.numItems, data.features, { center: true });
    // image means over all 6 items: [(1+0+1-2+0.5+3)/6, (0+3+1+0+0.5-1)/6, (2+4+1+1+0+2)/6] = [0.5833, 0.5833, 1.6667]
    const imageMean = [3.5 / 6, 3.5 / 6, 10 / 6];
    const centred0 = [1, 0, 2].map((v, k) => v - imageMean[k]);
    const norm0 = Math.hypot(...centred0);
    centred0.forEach((v, k) => expect(c.data[k]).toBeCloseTo(v / norm0, 5));
    // audio: item 5 is missing, so the means are over items 0..4 only: [(1+0+3+1+2)/5, (2+1+4-1+2)/5] = [1.4, 1.6]
    const centredAudio0 = [1 - 1.4, 2 - 1.6];
    const normA = Math.hypot(...centredAudio0);
    centredAudio0.forEach((v, k) => expect(c.data[3 + k]).toBeCloseTo(v / normA, 5));
    expect(Array.from(c.data.subarray(28, 30))).toEqual([0, 0]); // the missing block stays zero
    // every present audio block still has unit length
    for (let i = 0; i < 5; i++) expect(Math.hypot(...Array.from(c.data.subarray(i * 5 + 3, i * 5 + 5)))).toBeCloseTo(1, 5);
  });

  it('leaves the features uncentred by default (InvRL)', () => {
    expect(Array.from(buildItemFeatures(data.numItems, data.features, { center: false }).data)).toEqual(Array.from(x.data));
  });
});
