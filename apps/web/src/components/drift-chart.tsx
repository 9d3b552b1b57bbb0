'use client';
// One drift chart: a bar per compared subject or environment with its value (p-value, distance, share or
// overlap), red when past the threshold, grey otherwise, and a dashed line at the method's threshold.
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '@/lib/colors';
import type { DriftGroup } from '@/lib/drift';

const label = (v: unknown) => {
  const x = Number(v);
  if (!Number.isFinite(x)) return '';
  return x !== 0 && Math.abs(x) < 0.001 ? x.toExponential(0) : x.toFixed(3);
};

export function DriftChart({ group, rule }: { group: DriftGroup; rule: string }) {
  const drifted = group.bars.filter((b) => b.drifted).length;
  return (
    <figure className="card" style={{ margin: 0 }} data-testid="drift-chart" data-title={group.title} data-method={group.method}>
      <figcaption className="spread">
        <strong>{group.title}</strong>
        <span className="muted small">
          {group.method} · dashed line: {rule} · {drifted}/{group.bars.length} drifted
        </span>
      </figcaption>
      <div className="chart">
        <BarChart responsive data={group.bars} style={{ width: '100%', height: 170 }} margin={{ top: 18, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={COLORS.grid} vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 10 }} interval={0} />
          <YAxis tick={{ fontSize: 10 }} width={40} domain={[0, 'auto']} />
          <Tooltip formatter={(v) => [label(v), group.method]} />
          <ReferenceLine y={group.threshold} stroke={COLORS.threshold} strokeDasharray="5 4" ifOverflow="extendDomain" />
          <Bar dataKey="value" isAnimationActive={false}>
            {group.bars.map((b) => (
              <Cell key={b.label} fill={b.drifted ? COLORS.drifted : COLORS.stable} />
            ))}
            <LabelList dataKey="value" position="top" formatter={label} style={{ fontSize: 9 }} />
          </Bar>
        </BarChart>
      </div>
    </figure>
  );
}
