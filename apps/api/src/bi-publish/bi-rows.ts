// The rows of the BI tables (bi/bi-tables.ts) from what the API knows: model runs and environments from the graph,
// top recommendations with their explanation columns from the served model, a drift report, interactions per day.
import { interactionsPerDay, readEnvironments, type GraphClient, type ModelRunSummary } from '@eior/graph';
import type { DriftReportRecord } from '../drift-report/drift-service';
import type { ServingModel } from '../serving/serving-model';
import { slicer } from '../yield';

export type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function modelVersionRows(runs: readonly ModelRunSummary[], dataset: string): Row[] {
  return runs.map((r) => ({
    dataset,
    version: r.version,
    model: r.model,
    created_at: new Date(r.createdAt),
    current: r.current,
    backend: r.backend,
    best_epoch: num(r.bestEpoch),
    training_seconds: num(r.trainingSeconds),
    test_recall_at_20: num(r.metrics.test['recall@20']),
    test_ndcg_at_20: num(r.metrics.test['ndcg@20']),
    valid_recall_at_20: num(r.metrics.valid['recall@20']),
  }));
}

/** The environments of every version of the dataset. */
export async function environmentRows(client: GraphClient, dataset: string, runs: readonly ModelRunSummary[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const run of runs) {
    for (const e of await readEnvironments(client, dataset, run.version)) {
      rows.push({
        dataset,
        model_version: run.version,
        environment: e.idx,
        size: e.edges,
        users: e.users,
        share: e.share,
        mean_invariant_weight: e.meanInvariantWeight,
        recall_at_20: num(e.metrics['recall@20']),
        ndcg_at_20: num(e.metrics['ndcg@20']),
      });
    }
  }
  return rows;
}

/**
 * Top `k` recommendations of up to `users` users (spread evenly over the user indexes), with their explanation
 * columns. Built on the serving thread in slices (yield.ts): a thousand users give 20,000 rows, each with its explanation.
 */
export async function recommendationRows(model: ServingModel, users: number, k: number): Promise<{ recommendations: Row[]; modalities: Row[] }> {
  const recommendations: Row[] = [];
  const modalities: Row[] = [];
  const servedAt = new Date();
  const step = Math.max(1, Math.floor(model.numUsers / Math.max(1, users)));
  const giveWay = slicer();
  for (let u = 0, n = 0; u < model.numUsers && n < users; u += step, n++) {
    await giveWay();
    const userId = model.userId(u);
    for (const r of model.recommend(u, 0, k, true).items) {
      const e = model.weigh(u, r.item);
      const itemId = model.itemId(r.item);
      const top = (parts: typeof e.invariant) => parts?.modalities.reduce<{ modality: string; contribution: number } | null>((a, m) => (!a || Math.abs(m.contribution) > Math.abs(a.contribution) ? m : a), null)?.modality ?? null;
      recommendations.push({
        dataset: model.dataset,
        model_version: model.version,
        user_id: userId,
        rank: r.rank,
        item_id: itemId,
        rating: r.rating,
        invariant_weight: e.invariantWeight,
        variant_weight: e.variantWeight,
        invariant_score: e.invariant?.score ?? null,
        variant_score: e.variant?.score ?? null,
        new_item: e.newItem === true,
        environment: model.environmentOf(u),
        top_modality_invariant: top(e.invariant),
        top_modality_variant: top(e.variant),
        served_at: servedAt,
      });
      const names = new Set([...(e.invariant?.modalities ?? []), ...(e.variant?.modalities ?? [])].map((m) => m.modality));
      for (const modality of names) {
        modalities.push({
          dataset: model.dataset,
          model_version: model.version,
          user_id: userId,
          item_id: itemId,
          modality,
          invariant_contribution: e.invariant?.modalities.find((m) => m.modality === modality)?.contribution ?? null,
          variant_contribution: e.variant?.modalities.find((m) => m.modality === modality)?.contribution ?? null,
        });
      }
    }
  }
  return { recommendations, modalities };
}

/** One row per drift figure; the subject names what it is about so that a report's rows are unique. */
export function driftRows(report: DriftReportRecord): Row[] {
  const computedAt = new Date(report.computedAt);
  const rows: Row[] = [];
  for (const c of report.comparisons) {
    for (const v of [...c.values, ...c.columns]) {
      const subject = v.subject === 'feature' ? `feature:${v.modality}[${v.detail}]` : [v.subject, v.modality, v.detail].filter((x) => x !== null).join(':');
      rows.push({
        dataset: report.dataset,
        computed_at: computedAt,
        comparison: c.name,
        subject,
        method: v.method,
        value: v.value,
        threshold: v.threshold,
        drifted: v.drifted,
        reference_size: v.referenceSize,
        current_size: v.currentSize,
      });
    }
  }
  return rows;
}

export async function interactionsPerDayRows(client: GraphClient, dataset: string): Promise<Row[]> {
  return (await interactionsPerDay(client, dataset)).map((r) => ({ dataset, day: r.day, source: r.source, interactions: r.interactions, users: r.users }));
}
