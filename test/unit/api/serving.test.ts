// Cursors that name their model version, the bounded log of served recommendations, and the one-line summary.
import { decodeCursor, encodeCursor, ratingId } from '../../../apps/api/src/schema/cursor';
import { summarise } from '../../../apps/api/src/schema/explanation';
import { ServedLog } from '../../../apps/api/src/serving/served-log';

describe('cursors', () => {
  it('round-trip an offset for the version that made them', () => {
    expect(decodeCursor(encodeCursor('v0003', 40), 'v0003')).toBe(40);
  });

  it('refuse a cursor of another version or one that is not ours, naming it', () => {
    expect(() => decodeCursor(encodeCursor('v0002', 20), 'v0003')).toThrow(/version v0002's ranking, and version v0003 is current/);
    expect(() => decodeCursor('hello', 'v0003')).toThrow(/"hello" is not a cursor/);
    expect(() => decodeCursor(Buffer.from('["c","v0003",-1]').toString('base64url'), 'v0003')).toThrow(/not a cursor/);
  });

  it('gives one id per (dataset, version, user, item)', () => {
    expect(ratingId('d', 'v1', 'u', 'i')).toBe(ratingId('d', 'v1', 'u', 'i'));
    expect(ratingId('d', 'v1', 'u', 'i')).not.toBe(ratingId('d', 'v2', 'u', 'i'));
  });
});

describe('ServedLog', () => {
  it('keeps the newest rows up to its capacity, oldest first, and counts everything', () => {
    const log = new ServedLog(3);
    for (let k = 0; k < 5; k++) log.record('d', { at: k, version: 'v1', user: k, item: 0, rank: 1, rating: 0, invariantWeight: null });
    expect(log.rows('d').map((r) => r.user)).toEqual([2, 3, 4]);
    expect(log.total('d')).toBe(5);
    expect(log.rows('other')).toEqual([]);
  });
});

describe('summarise', () => {
  const parts = (id: number, visual: number) => ({ score: id + visual, id, bias: 0, modalities: [{ modality: 'visual', contribution: visual }] });

  it('names the heavier branch and the part that drove its score', () => {
    const text = summarise({ rating: 1, invariantWeight: 0.2, variantWeight: 0.8, invariant: parts(0.1, 0.1), variant: parts(0.3, -0.9) });
    expect(text).toBe('80% variant branch (environment-specific); its score -0.600 came mostly from visual (-0.900)');
  });

  it('says that a new item was scored by its stable content alone', () => {
    const route = { score: -1, id: 0, bias: 1, modalities: [{ modality: 'visual', contribution: 4 }, { modality: 'audio', contribution: -6 }] };
    const text = summarise({ rating: -1, invariantWeight: 1, variantWeight: 0, invariant: route, variant: parts(0.3, 0.2), newItem: true });
    expect(text).toBe('new item (no interactions when the model was trained): scored by its stable content columns alone; its score -1.000 came mostly from audio (-6.000)');
  });

  it('says so when a model has no parts', () => {
    expect(summarise({ rating: 2, invariantWeight: null, variantWeight: null, invariant: null, variant: null })).toMatch(/without branch/);
  });
});
