// Two model versions' top-N for one user side by side: rank, item, rating and α_I of each, items both lists
// share marked, and how many they share.
import type { VersionTopQuery } from '@/generated/graphql';
import { formatPercent, formatScore } from '@/lib/format';

type Top = VersionTopQuery['recommendations'];

export function VersionComparison({ left, right }: { left: Top; right: Top }) {
  const inLeft = new Set(left.edges.map((e) => e.node.item.id));
  const inRight = new Set(right.edges.map((e) => e.node.item.id));
  const shared = [...inLeft].filter((id) => inRight.has(id)).length;
  const column = (top: Top, other: Set<string>, testId: string) => (
    <div className="card" data-testid={testId}>
      <h3>
        {top.modelVersion} <span className="muted small">({top.edges[0]?.node.model ?? 'no items'})</span>
      </h3>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>item</th>
            <th>rating</th>
            <th>α_I</th>
          </tr>
        </thead>
        <tbody>
          {top.edges.map(({ node }) => (
            <tr key={node.item.id} className={other.has(node.item.id) ? 'shared' : undefined}>
              <td className="num">{node.rank}</td>
              <td>{node.item.id}</td>
              <td className="num">{formatScore(node.rating)}</td>
              <td className="num">{node.explanation.invariantWeight === null ? '–' : formatPercent(node.explanation.invariantWeight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <div data-testid="version-comparison">
      <p>
        <strong className="num" data-testid="shared-count">{shared}</strong> of {left.edges.length} items in both lists (highlighted).
      </p>
      <div className="grid-two">
        {column(left, inRight, 'compare-left')}
        {column(right, inLeft, 'compare-right')}
      </div>
    </div>
  );
}
