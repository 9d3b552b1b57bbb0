// Rows for every BI table, worked out by hand so tests can compare what comes back with what went in.
import { BI_TABLES } from '../../../../apps/api/src/bi/bi-tables';

export const SERVED_AT = new Date('2024-05-01T12:30:00.125Z');

export function recommendationRows(dataset: string, users = ['u1', 'u2'], k = 3): Record<string, unknown>[] {
  return users.flatMap((user, u) =>
    Array.from({ length: k }, (_, r) => ({
      dataset,
      model_version: 'v1',
      user_id: user,
      rank: r + 1,
      item_id: `i${u}${r}`,
      rating: 0.9 - r * 0.1,
      invariant_weight: 0.75,
      variant_weight: 0.25,
      invariant_score: 1 - r * 0.1,
      variant_score: 0.6 - r * 0.1,
      new_item: r === 1,
      environment: u === 0 ? 1 : null,
      top_modality_invariant: 'visual',
      top_modality_variant: u === 0 ? 'acoustic' : null,
      served_at: SERVED_AT,
    })),
  );
}

/** One row per table (a few for interactions_per_day), all columns filled. */
export function sampleRows(dataset: string): Record<string, Record<string, unknown>[]> {
  return {
    recommendations: recommendationRows(dataset),
    recommendation_modalities: [
      { model_version: 'v1', user_id: 'u1', item_id: 'i00', modality: 'visual', invariant_contribution: 0.5, variant_contribution: 0.1 },
      { model_version: 'v1', user_id: 'u1', item_id: 'i00', modality: 'acoustic', invariant_contribution: 0.25, variant_contribution: 0.2 },
    ],
    environments: [
      { model_version: 'v1', environment: 0, size: 1200, users: 80, share: 0.6, mean_invariant_weight: 0.7, recall_at_20: 0.11, ndcg_at_20: 0.07 },
      { model_version: 'v1', environment: 1, size: 800, users: 60, share: 0.4, mean_invariant_weight: 0.65, recall_at_20: null, ndcg_at_20: null },
    ],
    drift_metrics: [
      { computed_at: '2024-05-02T00:00:00Z', comparison: 'environment 0 vs rest', subject: 'popularity', method: 'ks', value: 0.21, threshold: 0.1, drifted: true, reference_size: 1200, current_size: 800 },
      { computed_at: '2024-05-02T00:00:00Z', comparison: 'time window', subject: 'top_k_overlap', method: 'jaccard', value: 0.8, threshold: null, drifted: false, reference_size: 100, current_size: 100 },
    ],
    model_versions: [
      { version: 'v1', model: 'eior', created_at: new Date('2024-04-30T08:00:00Z'), current: true, backend: 'wasm', best_epoch: 12, training_seconds: 532.5, test_recall_at_20: 0.1, test_ndcg_at_20: 0.06, valid_recall_at_20: 0.11 },
    ],
    interactions_per_day: [
      { day: '2024-04-01', source: 'train', interactions: 9007199254740991, users: 10 },
      { day: '2024-04-01', source: 'feedback', interactions: 3, users: 2 },
      { day: '2024-04-02', source: 'train', interactions: 7, users: 5 },
    ],
  };
}

export const ALL_TABLES = BI_TABLES.map((t) => t.name);
