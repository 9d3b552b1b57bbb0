// Metrics as the artifacts, the CLI and the graph report them: flat keys such as `recall@20`, `ndcg@10`.
import type { MetricsAtK } from '../metrics';
import type { MetricTable } from './manifest';

const NAMES: Record<keyof MetricsAtK, string> = { recall: 'recall', precision: 'precision', ndcg: 'ndcg', hitRate: 'hit' };

export function metricTable(atK: Record<number, MetricsAtK> | null | undefined): MetricTable {
  const out: MetricTable = {};
  if (!atK) return out;
  for (const [k, metrics] of Object.entries(atK)) {
    for (const [name, value] of Object.entries(metrics) as [keyof MetricsAtK, number][]) out[`${NAMES[name]}@${k}`] = value;
  }
  return out;
}
