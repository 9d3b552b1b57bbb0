// Reading the drift report for charts: which way a method's threshold points, a label per compared subject,
// and the groups the drift page draws (one chart per subject across environments, one per method otherwise).
import type { DriftComparisonKind } from '@/generated/graphql';

export interface DriftValueLike {
  subject: string;
  modality: string | null;
  detail: string | null;
  method: string;
  value: number;
  threshold: number;
  drifted: boolean;
}

export interface ComparisonLike<V extends DriftValueLike = DriftValueLike> {
  kind: DriftComparisonKind;
  name: string;
  values: V[];
}

/** The kinds in the order the page shows them, with a heading each. */
export const DRIFT_KINDS: { kind: DriftComparisonKind; title: string; about: string }[] = [
  { kind: 'ENVIRONMENT', title: 'Drift between environments', about: "each training environment's interactions against the other environments'" },
  { kind: 'TIME_WINDOW', title: 'Time windows', about: 'the training period against later interactions (later splits, or feedback recorded through the API)' },
  { kind: 'SERVED', title: 'Served recommendations', about: 'α_I over training pairs against α_I over the recommendations this API process served' },
  { kind: 'MODEL_VERSION', title: 'Model versions', about: "the served version's top-K against the previous version's, for a fixed sample of users" },
];

/** p-values and the top-K overlap drift below their threshold; distances and shares at or above it. */
export function driftsBelow(method: string): boolean {
  return method === 'ks' || method === 'chisquare' || method === 'z' || method === 'mean-overlap';
}

/** "drift below 0.05" or "drift at or above 0.1". */
export function thresholdRule(method: string, threshold: number): string {
  return `${driftsBelow(method) ? 'drift below' : 'drift at or above'} ${threshold}`;
}

/** A person's name for what a value compares: "acoustic features", "invariant block", "α_I", ... */
export function subjectLabel(v: Pick<DriftValueLike, 'subject' | 'modality' | 'detail'>): string {
  switch (v.subject) {
    case 'modality':
      return `${v.modality ?? '?'} features`;
    case 'block':
      return `${v.detail ?? '?'} block`;
    case 'feature':
      return `${v.modality ?? '?'}[${v.detail ?? '?'}]`;
    case 'invariant-weight':
      return 'α_I';
    case 'top-k-overlap':
      return `top-K overlap${v.detail ? ` (${v.detail})` : ''}`;
    default:
      return v.subject;
  }
}

export interface DriftBar {
  label: string;
  value: number;
  drifted: boolean;
}

export interface DriftGroup {
  /** Unique within the page. */
  key: string;
  title: string;
  method: string;
  threshold: number;
  bars: DriftBar[];
}

/** "environment 3 vs the rest" -> "env 3". */
function environmentLabel(name: string): string {
  const m = /environment (\d+)/.exec(name);
  return m ? `env ${m[1]}` : name;
}

/** ENVIRONMENT comparisons as one group per (subject, method): a bar per environment. */
export function groupBySubject(comparisons: ComparisonLike[]): DriftGroup[] {
  const groups = new Map<string, DriftGroup>();
  for (const c of comparisons) {
    for (const v of c.values) {
      const title = subjectLabel(v);
      const key = `${title}|${v.method}|${v.threshold}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, title, method: v.method, threshold: v.threshold, bars: [] }));
      g.bars.push({ label: environmentLabel(c.name), value: v.value, drifted: v.drifted });
    }
  }
  return [...groups.values()];
}

/** One comparison as one group per method: a bar per subject. */
export function groupByMethod(comparison: ComparisonLike, keyPrefix: string): DriftGroup[] {
  const groups = new Map<string, DriftGroup>();
  for (const v of comparison.values) {
    const key = `${keyPrefix}|${v.method}|${v.threshold}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, title: v.method, method: v.method, threshold: v.threshold, bars: [] }));
    g.bars.push({ label: subjectLabel(v), value: v.value, drifted: v.drifted });
  }
  return [...groups.values()];
}

/** Evidently's dataset drift: a comparison drifts when at least half its subjects drift. */
export const DATASET_DRIFT_SHARE = 0.5;

/** ENVIRONMENT comparisons' shares of drifted subjects: a bar per environment. */
export function driftedShareGroup(comparisons: { name: string; driftedShare: number; drifted: boolean }[]): DriftGroup {
  return {
    key: 'drifted-share',
    title: 'share of drifted subjects',
    method: 'share-of-drifted-columns',
    threshold: DATASET_DRIFT_SHARE,
    bars: comparisons.map((c) => ({ label: environmentLabel(c.name), value: c.driftedShare, drifted: c.drifted })),
  };
}
