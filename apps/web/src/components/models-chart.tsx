'use client';
// Test recall@20 and ndcg@20 of every version of a dataset, oldest to newest, the current one named, so a
// person sees at once whether retraining helped.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '@/lib/colors';

export interface VersionPoint {
  version: string;
  model: string;
  current: boolean;
  recall: number | null;
  ndcg: number | null;
}

export function ModelsChart({ versions }: { versions: VersionPoint[] }) {
  const data = [...versions].reverse().map((v) => ({ ...v, label: `${v.version}${v.current ? ' ★' : ''}\n${v.model}` }));
  return (
    <figure className="card" style={{ margin: 0 }} data-testid="models-chart">
      <figcaption>
        <strong>Test metrics per version</strong> <span className="muted small">(★ current)</span>
      </figcaption>
      <BarChart responsive data={data} style={{ width: '100%', height: 220 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 10 }} interval={0} />
        <YAxis tick={{ fontSize: 10 }} width={44} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(_l, p) => (p?.[0] ? `${p[0].payload.version} (${p[0].payload.model})` : '')} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="recall" name="recall@20" fill={COLORS.recall} isAnimationActive={false} />
        <Bar dataKey="ndcg" name="ndcg@20" fill={COLORS.other} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
