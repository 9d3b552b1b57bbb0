'use client';
// A dataset's events per day (bars) and their running total (line): after `eior ingest --append` the new events
// show on their days and the total climbs. The days' counts ride along as data attributes for the browser test.
import { Bar, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '@/lib/colors';
import { formatCount } from '@/lib/format';

export interface EventDayPoint {
  day: string;
  events: number;
}

export function EventsPerDayChart({ days, height = 180 }: { days: EventDayPoint[]; height?: number }) {
  let total = 0;
  const data = days.map((d) => ({ day: d.day, events: d.events, total: (total += d.events) }));
  return (
    <div className="chart" data-testid="events-per-day" data-days={days.length} data-total={total} data-last-day={days.at(-1)?.day ?? ''} aria-label="Events per day and their running total">
      <ComposedChart responsive data={data} style={{ width: '100%', height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={COLORS.grid} />
        <XAxis dataKey="day" tick={{ fontSize: 10 }} minTickGap={24} />
        <YAxis yAxisId="day" tick={{ fontSize: 10 }} width={44} allowDecimals={false} />
        <YAxis yAxisId="total" orientation="right" tick={{ fontSize: 10 }} width={52} allowDecimals={false} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? formatCount(v) : String(v))} />
        <Bar yAxisId="day" dataKey="events" name="events that day" fill={COLORS.loss} isAnimationActive={false} />
        <Line yAxisId="total" type="stepAfter" dataKey="total" name="events so far" stroke={COLORS.recall} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </div>
  );
}
