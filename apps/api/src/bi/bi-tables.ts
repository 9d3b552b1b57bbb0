// The BI table catalogue as data: the flat tables that BI tools read over SQL and the /export endpoints serve.
// Table and column names used in SQL come only from here; the descriptions become COMMENT ON TABLE/COLUMN.

export type BiColumnType = 'text' | 'integer' | 'bigint' | 'double precision' | 'boolean' | 'timestamptz' | 'date';

export interface BiColumn {
  name: string;
  type: BiColumnType;
  description: string;
  /** NULL allowed; key columns never are, and a column without this flag needs a value in every row. */
  nullable?: boolean;
}

export interface BiTable {
  name: string;
  description: string;
  columns: BiColumn[];
  /** Primary key, in the order pages are sorted by; always starts with `dataset`. */
  key: string[];
}

/** The PostgreSQL schema holding the BI tables (readers get it as their default search_path). */
export const BI_SCHEMA = 'eior';

const dataset: BiColumn = { name: 'dataset', type: 'text', description: 'Name of the dataset the row belongs to (for example tiktok); every table is partitioned by it.' };
const modelVersion: BiColumn = { name: 'model_version', type: 'text', description: 'Version of the trained model that produced the row (model_versions.version).' };
const metric = (name: string, description: string): BiColumn => ({ name, type: 'double precision', description, nullable: true });

export const BI_TABLES: readonly BiTable[] = [
  {
    name: 'recommendations',
    description: 'Top-k recommendation lists with their explanation: one row per user and rank, with the invariant (IRM) and variant (ERM) parts of the EIOR rating.',
    key: ['dataset', 'model_version', 'user_id', 'rank'],
    columns: [
      dataset,
      modelVersion,
      { name: 'user_id', type: 'text', description: 'User the list was computed for, as identified in the dataset.' },
      { name: 'rank', type: 'integer', description: 'Position in the list, 1 = best.' },
      { name: 'item_id', type: 'text', description: 'Recommended item, as identified in the dataset.' },
      { name: 'rating', type: 'double precision', description: 'Rating that orders the list: for EIOR invariant_weight * invariant_score + variant_weight * variant_score (for a new_item, invariant_score with invariant_weight 1); for other models their score.' },
      { name: 'invariant_weight', type: 'double precision', description: "Share of the rating given to the user's invariant (environment-independent) preference, between 0 and 1.", nullable: true },
      { name: 'variant_weight', type: 'double precision', description: "Share of the rating given to the user's variant (environment-specific) preference; 1 - invariant_weight.", nullable: true },
      { name: 'invariant_score', type: 'double precision', description: 'Score of the item under the invariant preference branch (trained with IRM).', nullable: true },
      { name: 'variant_score', type: 'double precision', description: 'Score of the item under the variant preference branch (trained with ERM in the user environment).', nullable: true },
      { name: 'new_item', type: 'boolean', description: 'True when the item had no interactions when the model was trained and EIOR scored it by its stable content columns alone (the new-item route: invariant_weight 1, no item-id part); false otherwise and for other models.' },
      { name: 'environment', type: 'integer', description: 'Environment (cluster of interactions) the user was assigned to; NULL when the user has none.', nullable: true },
      { name: 'top_modality_invariant', type: 'text', description: 'Modality (for example visual, acoustic, textual) contributing most to invariant_score; NULL when the model has no modalities.', nullable: true },
      { name: 'top_modality_variant', type: 'text', description: 'Modality contributing most to variant_score; NULL when the model has no modalities.', nullable: true },
      { name: 'served_at', type: 'timestamptz', description: 'When the list was computed (UTC, millisecond precision).' },
    ],
  },
  {
    name: 'recommendation_modalities',
    description: 'Per-modality breakdown of each recommended item: how much each modality adds to the invariant and variant scores.',
    key: ['dataset', 'model_version', 'user_id', 'item_id', 'modality'],
    columns: [
      dataset,
      modelVersion,
      { name: 'user_id', type: 'text', description: 'User the recommendation was computed for.' },
      { name: 'item_id', type: 'text', description: 'Recommended item.' },
      { name: 'modality', type: 'text', description: 'Modality of the item features (for example visual, acoustic, textual, id).' },
      { name: 'invariant_contribution', type: 'double precision', description: 'Part of invariant_score that comes from this modality (attention weight times modality score).' },
      { name: 'variant_contribution', type: 'double precision', description: 'Part of variant_score that comes from this modality.' },
    ],
  },
  {
    name: 'environments',
    description: 'Environments inferred from the training interactions (clusters the invariant learning is made robust across), per model version.',
    key: ['dataset', 'model_version', 'environment'],
    columns: [
      dataset,
      modelVersion,
      { name: 'environment', type: 'integer', description: 'Environment number, from 0.' },
      { name: 'size', type: 'bigint', description: 'Number of training interactions (user-item edges) assigned to the environment.' },
      { name: 'users', type: 'bigint', description: 'Number of distinct users with at least one interaction in the environment.' },
      { name: 'share', type: 'double precision', description: 'Fraction of all training interactions in the environment, between 0 and 1.' },
      { name: 'mean_invariant_weight', type: 'double precision', description: 'Mean invariant_weight of the users of the environment.' },
      metric('recall_at_20', 'Recall@20 on the test interactions of the environment users; NULL when not evaluated.'),
      metric('ndcg_at_20', 'NDCG@20 on the test interactions of the environment users; NULL when not evaluated.'),
    ],
  },
  {
    name: 'drift_metrics',
    description: 'Drift tests between a reference and a current sample (environments against each other, or time windows); one row per compared subject.',
    key: ['dataset', 'computed_at', 'comparison', 'subject'],
    columns: [
      dataset,
      { name: 'computed_at', type: 'timestamptz', description: 'When the drift report was computed (UTC, millisecond precision); rows of one report share it.' },
      { name: 'comparison', type: 'text', description: "What was compared, for example 'environment 0 vs rest' or 'time window'." },
      { name: 'subject', type: 'text', description: 'What drifted: a feature column, a modality, popularity, score, invariant_weight or top_k_overlap.' },
      { name: 'method', type: 'text', description: 'Statistical test or distance used (for example ks, chi_square, psi, jensen_shannon, wasserstein, jaccard).' },
      { name: 'value', type: 'double precision', description: 'Test statistic, p-value or distance produced by method.' },
      metric('threshold', 'Value beyond which the subject counts as drifted; NULL when the method has none.'),
      { name: 'drifted', type: 'boolean', description: 'Whether value crossed threshold.' },
      { name: 'reference_size', type: 'bigint', description: 'Number of observations in the reference sample.' },
      { name: 'current_size', type: 'bigint', description: 'Number of observations in the current sample.' },
    ],
  },
  {
    name: 'model_versions',
    description: 'Trained model versions per dataset with their training summary and test metrics; current marks the version being served.',
    key: ['dataset', 'version'],
    columns: [
      dataset,
      { name: 'version', type: 'text', description: 'Version identifier of the trained model.' },
      { name: 'model', type: 'text', description: 'Model family, for example eior or ultragcn.' },
      { name: 'created_at', type: 'timestamptz', description: 'When training finished (UTC, millisecond precision).' },
      { name: 'current', type: 'boolean', description: 'True for the version the API serves for the dataset.' },
      { name: 'backend', type: 'text', description: 'TensorFlow.js backend the model was trained on (for example tensorflow, wasm, cpu).' },
      { name: 'best_epoch', type: 'integer', description: 'Epoch whose parameters were kept (best validation Recall@20); NULL when unknown.', nullable: true },
      metric('training_seconds', 'Wall-clock training time in seconds; NULL when unknown.'),
      metric('test_recall_at_20', 'Recall@20 on the test split; NULL when not evaluated.'),
      metric('test_ndcg_at_20', 'NDCG@20 on the test split; NULL when not evaluated.'),
      metric('valid_recall_at_20', 'Recall@20 on the validation split at best_epoch; NULL when not evaluated.'),
    ],
  },
  {
    name: 'interactions_per_day',
    description: 'Daily counts of user-item interactions per source (the dataset splits and feedback recorded through the API).',
    key: ['dataset', 'day', 'source'],
    columns: [
      dataset,
      { name: 'day', type: 'date', description: 'Calendar day (UTC).' },
      { name: 'source', type: 'text', description: "Where the interactions come from: 'train', 'valid', 'test' or 'feedback'." },
      { name: 'interactions', type: 'bigint', description: 'Number of interactions on the day.' },
      { name: 'users', type: 'bigint', description: 'Number of distinct users with an interaction on the day.' },
    ],
  },
];

/** The catalogue entry of a table, or undefined when the name is not one of BI_TABLES. */
export function findBiTable(name: string): BiTable | undefined {
  return BI_TABLES.find((t) => t.name === name);
}

/** Like findBiTable, but an Error naming the known tables when the name is not one of them. */
export function requireBiTable(name: string): BiTable {
  const table = findBiTable(name);
  if (!table) throw new Error(`unknown BI table ${JSON.stringify(name)}: expected one of ${BI_TABLES.map((t) => t.name).join(', ')}`);
  return table;
}

/** A column is nullable only when flagged and not part of the key. */
export function isNullable(table: BiTable, column: BiColumn): boolean {
  return column.nullable === true && !table.key.includes(column.name);
}
