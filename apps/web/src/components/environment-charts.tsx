'use client';
// A model version's environments at a glance: each one's share of training interactions, its mean attention
// split (α_I and α_E stacked to 1), and its users' test recall@20.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '@/lib/colors';

export interface EnvironmentPoint {
  index: number;
  size: number;
  users: number;
  share: number;
  meanInvariantWeight: number | null;
  meanVariantWeight: number | null;
  recall: number | null;
}

const pct = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v));
const fixed = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

export function EnvironmentCharts({ environments }: { environments: EnvironmentPoint[] }) {
  const data = environments.map((e) => ({ ...e, label: `env ${e.index}` }));
  const hasAttention = data.some((e) => e.meanInvariantWeight !== null);
  const height = 40 + data.length * 26;
  return (
    <div className="grid" data-testid="environment-charts">
      <figure className="card" style={{ margin: 0 }}>
        <figcaption>
          <strong>Share of training interactions</strong>
        </figcaption>
        <BarChart responsive layout="vertical" data={data} style={{ width: '100%', height }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={COLORS.grid} horizontal={false} />
          <XAxis type="number" tickFormatter={pct} tick={{ fontSize: 10 }} />
          <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={48} />
          <Tooltip formatter={(v, _n, item) => [`${pct(v)} (${item.payload.size} interactions, ${item.payload.users} users)`, 'share']} />
          <Bar dataKey="share" fill={COLORS.other} isAnimationActive={false} />
        </BarChart>
      </figure>
      {hasAttention ? (
        <figure className="card" style={{ margin: 0 }}>
          <figcaption>
            <strong>Mean attention split</strong> <span className="muted small">over each environment&apos;s users&apos; test pairs</span>
          </figcaption>
          <BarChart responsive layout="vertical" data={data} style={{ width: '100%', height: height + 24 }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={COLORS.grid} horizontal={false} />
            <XAxis type="number" domain={[0, 1]} tickFormatter={pct} tick={{ fontSize: 10 }} />
            <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={48} />
            <Tooltip formatter={fixed} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="meanInvariantWeight" name="α_I invariant" stackId="a" fill={COLORS.invariant} isAnimationActive={false} />
            <Bar dataKey="meanVariantWeight" name="α_E variant" stackId="a" fill={COLORS.variant} isAnimationActive={false} />
          </BarChart>
        </figure>
      ) : null}
      <figure className="card" style={{ margin: 0 }}>
        <figcaption>
          <strong>Test recall@20 of its users</strong>
        </figcaption>
        <BarChart responsive layout="vertical" data={data} style={{ width: '100%', height }} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={COLORS.grid} horizontal={false} />
          <XAxis type="number" tick={{ fontSize: 10 }} />
          <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={48} />
          <Tooltip formatter={fixed} />
          <Bar dataKey="recall" name="recall@20" fill={COLORS.recall} isAnimationActive={false} />
        </BarChart>
      </figure>
    </div>
  );
}
