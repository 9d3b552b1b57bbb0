// One drift comparison, reference rows against current rows of a PairTable, with Evidently's default per-column
// rules (../drift): every feature column, summarised per modality and per feature block (the columns the
// invariance mask keeps, m > 0.5, and the rest), the items' popularity, the model's rating and α_I (numerical
// subjects also get PSI with the 0.1 / 0.25 bands). A comparison drifts when at least half its subjects do
// (Evidently's dataset drift).
import { DEFAULT_DRIFT_SHARE, datasetDrift, detectDrift, psi, type DriftResult } from '../drift';
import type { PairTable } from './pair-table';
import { slicer } from '../yield';

export type ComparisonKind = 'environment' | 'time-window' | 'served' | 'model-version';

export interface DriftValueRecord {
  /** `feature`, `modality`, `block`, `popularity`, `score`, `invariant-weight` or `top-k-overlap`. */
  subject: string;
  /** The modality of a feature column or modality summary; null otherwise. */
  modality: string | null;
  /** A feature column's index within its modality, or the block (`invariant` / `variant`) of a block summary. */
  detail: string | null;
  method: string;
  value: number;
  threshold: number;
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
  psi: number | null;
  psiBand: string | null;
}

export interface DriftComparisonRecord {
  kind: ComparisonKind;
  name: string;
  reference: string;
  current: string;
  referenceSize: number;
  currentSize: number;
  /** Share of the comparison's subjects (columns, popularity, score, α_I) that drifted. */
  driftedShare: number;
  drifted: boolean;
  /** Summaries: per modality, per block, popularity, score, α_I. */
  values: DriftValueRecord[];
  /** Every feature column's own test. */
  columns: DriftValueRecord[];
}

export interface Sides {
  kind: ComparisonKind;
  name: string;
  reference: string;
  current: string;
  referenceRows: Int32Array;
  currentRows: Int32Array;
}

export async function compare(table: PairTable, sides: Sides): Promise<DriftComparisonRecord> {
  const step = slicer();
  const { referenceRows: ref, currentRows: cur } = sides;
  const tests: DriftResult[] = [];
  const columns: DriftValueRecord[] = [];
  const byModality = new Map<string, DriftResult[]>();
  const byBlock = { invariant: [] as DriftResult[], variant: [] as DriftResult[] };
  const mask = table.model.mask;
  let offset = 0;
  for (const f of table.model.data.features) {
    for (let c = 0; c < f.width; c++) {
      const result = detectDrift(table.feature(ref, f, c), table.feature(cur, f, c));
      tests.push(result);
      columns.push(value('feature', f.modality, String(c), result, null));
      byModality.set(f.modality, [...(byModality.get(f.modality) ?? []), result]);
      if (mask) byBlock[mask[offset + c] > 0.5 ? 'invariant' : 'variant'].push(result);
      await step(); // a column test takes about a millisecond: requests get a turn every few
    }
    offset += f.width;
  }
  const values: DriftValueRecord[] = [];
  for (const [modality, results] of byModality) values.push(share('modality', modality, null, results, ref.length, cur.length));
  if (mask) for (const block of ['invariant', 'variant'] as const) if (byBlock[block].length) values.push(share('block', null, block, byBlock[block], ref.length, cur.length));
  const numeric = (subject: string, a: Float64Array, b: Float64Array) => {
    const result = detectDrift(a, b);
    tests.push(result);
    values.push(value(subject, null, null, result, psi(a, b)));
  };
  numeric('popularity', table.itemPopularity(ref), table.itemPopularity(cur));
  numeric('score', table.rating(ref), table.rating(cur));
  const wRef = table.invariantWeight(ref);
  const wCur = table.invariantWeight(cur);
  if (wRef && wCur) numeric('invariant-weight', wRef, wCur);
  const overall = datasetDrift(tests, DEFAULT_DRIFT_SHARE);
  return {
    kind: sides.kind,
    name: sides.name,
    reference: sides.reference,
    current: sides.current,
    referenceSize: ref.length,
    currentSize: cur.length,
    driftedShare: overall.driftedShare,
    drifted: overall.drifted,
    values,
    columns,
  };
}

function value(subject: string, modality: string | null, detail: string | null, r: DriftResult, p: { value: number; band: string } | null): DriftValueRecord {
  return {
    subject,
    modality,
    detail,
    method: r.method,
    value: r.value,
    threshold: r.threshold,
    drifted: r.drifted,
    referenceSize: r.referenceSize,
    currentSize: r.currentSize,
    psi: p ? p.value : null,
    psiBand: p ? p.band : null,
  };
}

/** A group of column tests as one value: the share of drifted columns against Evidently's drift share 0.5. */
function share(subject: string, modality: string | null, detail: string | null, results: DriftResult[], refSize: number, curSize: number): DriftValueRecord {
  const d = datasetDrift(results, DEFAULT_DRIFT_SHARE);
  return {
    subject,
    modality,
    detail,
    method: 'share-of-drifted-columns',
    value: d.driftedShare,
    threshold: DEFAULT_DRIFT_SHARE,
    drifted: d.drifted,
    referenceSize: refSize,
    currentSize: curSize,
    psi: null,
    psiBand: null,
  };
}
