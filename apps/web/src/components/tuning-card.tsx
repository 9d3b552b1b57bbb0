'use client';
// One tuning (`eior tune`) on the Models page: validation NDCG@20 of every trial in the order it ran (dot size by
// epochs, so the promoted long trials stand out), and the trials as a table with their settings.
import { CartesianGrid, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { ModelsQuery } from '@/generated/graphql';
import { COLORS } from '@/lib/colors';
import { formatSeconds, formatTime } from '@/lib/format';

type TuningRow = ModelsQuery['tunings'][number];

export function TuningCard({ tuning }: { tuning: TuningRow }) {
  const points = tuning.trials.filter((t) => t.score !== null && t.score !== undefined).map((t) => ({ seq: t.seq, score: t.score!, epochs: t.epochs, id: t.id }));
  const best = points.filter((p) => p.id === tuning.bestTrial);
  const settings = (s: unknown) =>
    Object.entries((s ?? {}) as Record<string, unknown>)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  return (
    <article className="card" data-testid="tuning-card" data-tuning={tuning.id}>
      <div className="spread">
        <h2 style={{ margin: 0 }}>
          Tuning {tuning.id} <span className="muted">{tuning.model}</span>
        </h2>
        <span className="badge">{tuning.status}</span>
      </div>
      <p className="small muted">
        Started {formatTime(tuning.startedAt)}; {tuning.trials.length} trials, {formatSeconds(tuning.spentSeconds)} spent. Objective: validation NDCG@20 (the
        test split is not read). {tuning.bestScore !== null && tuning.bestScore !== undefined ? `Best ${tuning.bestTrial}: ${tuning.bestScore.toFixed(4)}` : 'No trial finished yet.'}
        {tuning.version ? `, trained as ${tuning.version}.` : ''}
      </p>
      <figure style={{ margin: 0 }} data-testid="tuning-chart">
        <figcaption className="small">Validation NDCG@20 per trial (larger dots trained more epochs; the best in blue)</figcaption>
        <ScatterChart responsive style={{ width: '100%', height: 220 }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={COLORS.grid} />
          <XAxis type="number" dataKey="seq" name="trial" tick={{ fontSize: 10 }} allowDecimals={false} />
          <YAxis type="number" dataKey="score" name="validation NDCG@20" tick={{ fontSize: 10 }} width={50} />
          <ZAxis type="number" dataKey="epochs" range={[20, 160]} name="epochs" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v))} />
          <Scatter data={points} fill={COLORS.other} isAnimationActive={false} />
          <Scatter data={best} fill={COLORS.invariant} isAnimationActive={false} />
        </ScatterChart>
      </figure>
      <details>
        <summary data-testid="trials-toggle">Trials ({tuning.trials.length})</summary>
        <table data-testid="trials-table">
          <thead>
            <tr>
              <th>#</th>
              <th>trial</th>
              <th>epochs</th>
              <th>validation NDCG@20</th>
              <th>status</th>
              <th>seconds</th>
              <th>settings</th>
            </tr>
          </thead>
          <tbody>
            {tuning.trials.map((t) => (
              <tr key={t.id} style={t.id === tuning.bestTrial ? { fontWeight: 600 } : undefined}>
                <td>{t.seq}</td>
                <td>{t.id}</td>
                <td>{t.epochs}</td>
                <td>{t.score === null || t.score === undefined ? '-' : t.score.toFixed(4)}</td>
                <td>{t.status}</td>
                <td>{t.seconds.toFixed(1)}</td>
                <td className="small">{settings(t.settings)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </article>
  );
}
