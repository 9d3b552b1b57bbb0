// The drift report as BI rows: one row per figure, unique on the table's key (dataset, computed_at, comparison,
// subject) even though many figures share a subject kind.
import { driftRows } from '../../../apps/api/src/bi-publish/bi-rows';
import type { DriftValueRecord } from '../../../apps/api/src/drift-report/compare';

const value = (subject: string, modality: string | null, detail: string | null): DriftValueRecord => ({
  subject, modality, detail, method: 'ks', value: 0.5, threshold: 0.05, drifted: false, referenceSize: 10, currentSize: 12, psi: null, psiBand: null,
});

describe('driftRows', () => {
  it('names every figure so that the rows of a report are unique on the BI key', () => {
    const report = {
      dataset: 'd',
      modelVersion: 'v0001',
      computedAt: '2026-11-27T10:00:00.000Z',
      hasTimestamps: false,
      comparisons: [0, 1].map((e) => ({
        kind: 'environment' as const, name: `environment ${e} vs the rest`, reference: 'r', current: 'c', referenceSize: 10, currentSize: 12, driftedShare: 0, drifted: false,
        values: [value('modality', 'visual', null), value('modality', 'acoustic', null), value('block', null, 'invariant'), value('block', null, 'variant'), value('score', null, null)],
        columns: [value('feature', 'visual', '0'), value('feature', 'visual', '1'), value('feature', 'acoustic', '0')],
      })),
    };
    const rows = driftRows(report);
    expect(rows).toHaveLength(16);
    const keys = rows.map((r) => `${r.comparison}|${r.subject}`);
    expect(new Set(keys).size).toBe(rows.length);
    expect(rows.slice(0, 8).map((r) => r.subject)).toEqual(['modality:visual', 'modality:acoustic', 'block:invariant', 'block:variant', 'score', 'feature:visual[0]', 'feature:visual[1]', 'feature:acoustic[0]']);
    expect(rows[0].computed_at).toEqual(new Date('2026-11-27T10:00:00.000Z'));
  });
});
