'use client';
// A model's training curve: mean training loss per epoch (left axis) and validation recall@20 on the
// evaluated epochs (right axis), with the kept (best) epoch marked.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '@/lib/colors';

export interface CurvePoint {
  epoch: number;
  loss: number | null;
  validation: { name: string; value: number }[];
}

export function TrainingCurveChart({ points, bestEpoch, height = 220 }: { points: CurvePoint[]; bestEpoch?: number; height?: number }) {
  const data = points.map((p) => ({
    epoch: p.epoch,
    loss: p.loss,
    recall: p.validation.find((m) => m.name === 'recall@20')?.value ?? null,
  }));
  const hasRecall = data.some((d) => d.recall !== null);
  const format = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));
  return (
    <div className="chart" data-testid="training-curve" aria-label="Training loss and validation recall@20 per epoch">
      <LineChart responsive data={data} style={{ width: '100%', height }} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={COLORS.grid} />
        <XAxis dataKey="epoch" tick={{ fontSize: 11 }} label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, fontSize: 11 }} />
        <YAxis yAxisId="loss" tick={{ fontSize: 10 }} width={44} domain={['auto', 'auto']} />
        {hasRecall ? <YAxis yAxisId="recall" orientation="right" tick={{ fontSize: 10 }} width={44} domain={[0, 'auto']} /> : null}
        <Tooltip formatter={format} labelFormatter={(e) => `epoch ${e}`} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {bestEpoch ? <ReferenceLine yAxisId="loss" x={bestEpoch} stroke={COLORS.recall} strokeDasharray="4 3" label={{ value: 'kept', fontSize: 10, position: 'top' }} /> : null}
        <Line yAxisId="loss" type="monotone" dataKey="loss" name="training loss" stroke={COLORS.loss} dot={false} isAnimationActive={false} />
        {hasRecall ? (
          <Line yAxisId="recall" type="monotone" dataKey="recall" name="validation recall@20" stroke={COLORS.recall} connectNulls dot={{ r: 2 }} isAnimationActive={false} />
        ) : null}
      </LineChart>
    </div>
  );
}
