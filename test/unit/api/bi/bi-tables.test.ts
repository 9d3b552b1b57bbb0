import { BI_TABLES, isNullable, requireBiTable } from '../../../../apps/api/src/bi/bi-tables';

describe('BI_TABLES', () => {
  it('has the documented tables with their columns in order', () => {
    const shape = Object.fromEntries(BI_TABLES.map((t) => [t.name, t.columns.map((c) => `${c.name}:${c.type}`)]));
    expect(shape).toEqual({
      recommendations: ['dataset:text', 'model_version:text', 'user_id:text', 'rank:integer', 'item_id:text', 'rating:double precision', 'invariant_weight:double precision', 'variant_weight:double precision', 'invariant_score:double precision', 'variant_score:double precision', 'new_item:boolean', 'environment:integer', 'top_modality_invariant:text', 'top_modality_variant:text', 'served_at:timestamptz'],
      recommendation_modalities: ['dataset:text', 'model_version:text', 'user_id:text', 'item_id:text', 'modality:text', 'invariant_contribution:double precision', 'variant_contribution:double precision'],
      environments: ['dataset:text', 'model_version:text', 'environment:integer', 'size:bigint', 'users:bigint', 'share:double precision', 'mean_invariant_weight:double precision', 'recall_at_20:double precision', 'ndcg_at_20:double precision'],
      drift_metrics: ['dataset:text', 'computed_at:timestamptz', 'comparison:text', 'subject:text', 'method:text', 'value:double precision', 'threshold:double precision', 'drifted:boolean', 'reference_size:bigint', 'current_size:bigint'],
      model_versions: ['dataset:text', 'version:text', 'model:text', 'created_at:timestamptz', 'current:boolean', 'backend:text', 'best_epoch:integer', 'training_seconds:double precision', 'test_recall_at_20:double precision', 'test_ndcg_at_20:double precision', 'valid_recall_at_20:double precision'],
      interactions_per_day: ['dataset:text', 'day:date', 'source:text', 'interactions:bigint', 'users:bigint'],
    });
    expect(Object.fromEntries(BI_TABLES.map((t) => [t.name, t.key]))).toEqual({
      recommendations: ['dataset', 'model_version', 'user_id', 'rank'],
      recommendation_modalities: ['dataset', 'model_version', 'user_id', 'item_id', 'modality'],
      environments: ['dataset', 'model_version', 'environment'],
      drift_metrics: ['dataset', 'computed_at', 'comparison', 'subject'],
      model_versions: ['dataset', 'version'],
      interactions_per_day: ['dataset', 'day', 'source'],
    });
  });

  it('describes every table and column, with plain lower-case names', () => {
    for (const table of BI_TABLES) {
      expect(table.description.length).toBeGreaterThan(40);
      expect(table.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(new Set(table.columns.map((c) => c.name)).size).toBe(table.columns.length);
      for (const column of table.columns) {
        expect(column.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(`${table.name}.${column.name}: ${column.description}`).toMatch(/: [A-Z].{15,}\.$/);
      }
    }
  });

  it('never lets a key column be NULL, and lets the branch columns of one-branch models and the environment be', () => {
    for (const table of BI_TABLES) {
      for (const name of table.key) {
        const column = table.columns.find((c) => c.name === name);
        expect(column && !isNullable(table, column)).toBe(true);
      }
    }
    const recs = requireBiTable('recommendations');
    expect(recs.columns.filter((c) => isNullable(recs, c)).map((c) => c.name)).toEqual(['invariant_weight', 'variant_weight', 'invariant_score', 'variant_score', 'environment', 'top_modality_invariant', 'top_modality_variant']);
  });
});
