'use client';
// Charts of one explanation: each modality's contribution to each branch score (grouped bars), and each branch
// score split into its parts (id, bias, one per modality) so a person sees what drove the rating. Modality parts
// are drawn on the rating's absolute scale, and said in words when they are under 1 % of it: scaled to full
// height, ±0.001 of noise next to an item-id part of 2.5 would look like a finding.
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '@/lib/colors';

export interface ModalityPart {
  modality: string;
  invariantContribution: number | null;
  variantContribution: number | null;
}

export interface BranchPart {
  branch: 'INVARIANT' | 'VARIANT';
  weight: number | null;
  score: number;
  idContribution: number;
  biasContribution: number;
}

const round = (x: number) => Number(x.toFixed(4));
const tooltipValue = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

/** Parts under this share of |ŷ| are noise next to the item id: said in words, not read off a bar. */
const TINY_PART_SHARE = 0.01;

/** The largest |modality part| of either branch. */
function largestPart(modalities: ModalityPart[]): number {
  return modalities.reduce((a, m) => Math.max(a, Math.abs(m.invariantContribution ?? 0), Math.abs(m.variantContribution ?? 0)), 0);
}

/** "Every modality part is under 1 % of the rating ..." when they are; null otherwise. */
export function TinyPartsNote({ modalities, rating }: { modalities: ModalityPart[]; rating: number }) {
  const largest = largestPart(modalities);
  if (!modalities.length || largest >= TINY_PART_SHARE * Math.abs(rating)) return null;
  return (
    <p className="small muted" data-testid="tiny-parts">
      Every modality part is under 1 % of the rating (largest ±{largest.toExponential(1)} against ŷ = {rating.toFixed(4)}): content did not drive this rating.
    </p>
  );
}

/**
 * Modality contributions e_u,f · W_m x_i,m per branch: a small grouped bar chart whose axis spans ±max(|ŷ|, largest
 * part), so parts are drawn to the rating's scale rather than stretched to full height.
 */
export function ModalityChart({ modalities, rating, height = 130 }: { modalities: ModalityPart[]; rating: number; height?: number }) {
  const bound = Math.max(Math.abs(rating), largestPart(modalities)) || 1;
  const step = 10 ** (Math.floor(Math.log10(bound)) - 1); // round up to two significant digits
  const top = Math.ceil(bound / step) * step;
  const domain: [number, number] = [-top, top];
  const hasInvariant = modalities.some((m) => m.invariantContribution !== null);
  const hasVariant = modalities.some((m) => m.variantContribution !== null);
  const data = modalities.map((m) => ({
    modality: m.modality,
    invariant: m.invariantContribution === null ? null : round(m.invariantContribution),
    variant: m.variantContribution === null ? null : round(m.variantContribution),
  }));
  return (
    <div className="chart" data-testid="modality-chart" data-scale={domain[1]} aria-label="Modality contributions per branch">
      <TinyPartsNote modalities={modalities} rating={rating} />
      <BarChart responsive data={data} style={{ width: '100%', height }} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        <XAxis dataKey="modality" tick={{ fontSize: 11 }} />
        <YAxis tick={{ fontSize: 10 }} width={48} domain={domain} allowDataOverflow />
        <ReferenceLine y={0} stroke={COLORS.threshold} />
        <Tooltip formatter={tooltipValue} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {hasInvariant ? <Bar dataKey="invariant" name="invariant branch" fill={COLORS.invariant} isAnimationActive={false} /> : null}
        {hasVariant ? <Bar dataKey="variant" name="variant branch" fill={COLORS.variant} isAnimationActive={false} /> : null}
      </BarChart>
    </div>
  );
}

/** Each branch score = id + bias + Σ modality parts, as horizontal bars per part, one chart row per branch. */
export function BranchPartsChart({ branches, modalities }: { branches: BranchPart[]; modalities: ModalityPart[] }) {
  const parts = ['item id', 'bias', ...modalities.map((m) => m.modality)];
  const data = parts.map((part, k) => {
    const row: Record<string, string | number | null> = { part };
    for (const b of branches) {
      const key = b.branch === 'INVARIANT' ? 'invariant' : 'variant';
      if (k === 0) row[key] = round(b.idContribution);
      else if (k === 1) row[key] = round(b.biasContribution);
      else {
        const m = modalities[k - 2];
        row[key] = key === 'invariant' ? (m.invariantContribution === null ? null : round(m.invariantContribution)) : m.variantContribution === null ? null : round(m.variantContribution);
      }
    }
    return row;
  });
  return (
    <div className="chart" data-testid="branch-parts-chart" aria-label="Branch scores split into parts">
      <BarChart responsive layout="vertical" data={data} style={{ width: '100%', height: 40 + parts.length * 34 }} margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke={COLORS.grid} horizontal={false} />
        <XAxis type="number" tick={{ fontSize: 10 }} />
        <YAxis type="category" dataKey="part" tick={{ fontSize: 11 }} width={72} />
        <ReferenceLine x={0} stroke={COLORS.threshold} />
        <Tooltip formatter={tooltipValue} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {branches.map((b) => (
          <Bar key={b.branch} dataKey={b.branch === 'INVARIANT' ? 'invariant' : 'variant'} name={`${b.branch.toLowerCase()} branch parts`} fill={b.branch === 'INVARIANT' ? COLORS.invariant : COLORS.variant} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}
