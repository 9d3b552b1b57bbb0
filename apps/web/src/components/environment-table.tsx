// The environments' exact figures beside their charts: size, users, share, mean α_I/α_E and test metrics.
import type { EnvironmentsQuery } from '@/generated/graphql';
import { formatCount, formatPercent, formatScore, metric } from '@/lib/format';

type EnvironmentRow = EnvironmentsQuery['environments'][number];

export function EnvironmentTable({ environments }: { environments: EnvironmentRow[] }) {
  return (
    <table data-testid="environment-table">
      <thead>
        <tr>
          <th>environment</th>
          <th>source</th>
          <th className="num">interactions</th>
          <th className="num">users</th>
          <th className="num">share</th>
          <th className="num">mean α_I</th>
          <th className="num">mean α_E</th>
          <th className="num">recall@20</th>
          <th className="num">ndcg@20</th>
          <th className="num">test users</th>
        </tr>
      </thead>
      <tbody>
        {environments.map((e) => {
          const users = metric(e.metrics, 'users');
          return (
            <tr key={e.index} data-testid="environment-row" data-index={e.index}>
              <td>env {e.index}</td>
              <td>{e.source}</td>
              <td className="num" data-testid="environment-size">
                {formatCount(e.size)}
              </td>
              <td className="num">{formatCount(e.users)}</td>
              <td className="num">{formatPercent(e.share)}</td>
              <td className="num">{formatScore(e.meanInvariantWeight)}</td>
              <td className="num">{formatScore(e.meanVariantWeight)}</td>
              <td className="num">{formatScore(metric(e.metrics, 'recall@20'))}</td>
              <td className="num">{formatScore(metric(e.metrics, 'ndcg@20'))}</td>
              <td className="num">{users === undefined ? '–' : formatCount(users)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
