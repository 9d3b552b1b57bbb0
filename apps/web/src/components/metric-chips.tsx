// Metrics as a row of chips, the headline ones (recall@20, ndcg@20, ...) first.
import { formatScore, orderMetrics, type NamedValue } from '@/lib/format';

export function MetricChips({ metrics, limit, testId }: { metrics: readonly NamedValue[]; limit?: number; testId?: string }) {
  const shown = orderMetrics(metrics).slice(0, limit ?? metrics.length);
  if (!shown.length) return <p className="muted small">No metrics recorded.</p>;
  return (
    <ul className="chips" data-testid={testId}>
      {shown.map((m) => (
        <li key={m.name} className="chip" data-metric={m.name}>
          {m.name} <strong>{formatScore(m.value)}</strong>
        </li>
      ))}
    </ul>
  );
}
