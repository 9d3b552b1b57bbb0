// Number, date and metric formatting shared by the pages, so a value reads the same everywhere (and the
// browser test can compare a page's text with the API's number formatted the same way).

const INTEGER = new Intl.NumberFormat('en-US');

/** 12345 -> "12,345". */
export function formatCount(n: number): string {
  return INTEGER.format(n);
}

/** A rating, score or metric with 4 decimals: 0.0726 -> "0.0726". */
export function formatScore(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : x.toFixed(4);
}

/** A drift value (p-value, distance, share) with 3 decimals. */
export function formatDrift(x: number): string {
  if (x !== 0 && Math.abs(x) < 0.001) return x.toExponential(1);
  return x.toFixed(3);
}

/** A share in [0, 1] as a percentage with one decimal: 0.1259 -> "12.6%". */
export function formatPercent(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`;
}

/** An ISO 8601 time as "2026-11-27 20:10 UTC" (the server renders it: one time zone for everyone). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Seconds as "6 min 43 s" or "12.3 s". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  return `${min} min ${Math.round(s - min * 60)} s`;
}

export interface NamedValue {
  name: string;
  value: number;
}

/** A metric by name (recall@20, ...), accepting the trainer's hitRate@K for hit@K. */
export function metric(metrics: readonly NamedValue[], name: string): number | undefined {
  const alias = name.startsWith('hit@') ? `hitRate@${name.slice(4)}` : name;
  return metrics.find((m) => m.name === name || m.name === alias)?.value;
}

/** The metrics shown first, in this order; others follow by name. */
export const HEADLINE_METRICS = ['recall@20', 'ndcg@20', 'precision@20', 'hit@20'];

/** Metrics in display order: the headline ones, then the rest by name. */
export function orderMetrics<T extends NamedValue>(metrics: readonly T[]): T[] {
  const rank = (m: T) => {
    const k = HEADLINE_METRICS.indexOf(m.name);
    return k >= 0 ? k : HEADLINE_METRICS.length;
  };
  return [...metrics].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'en', { numeric: true }));
}
