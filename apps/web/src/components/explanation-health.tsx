// A version's explanation health on the models page: how much of the rating content carries, how α_I spreads, the
// mask's kept share and the columns that stand out as stable, whether the modality parts are faithful and the "because you interacted with" evidence. A
// degenerate split is said in words, and the figures it concerns are then shown as numbers, never as bars.
import type { ModelsQuery } from '@/generated/graphql';
import { formatScore } from '@/lib/format';

type Health = NonNullable<ModelsQuery['models'][number]['explanationHealth']>;

const share = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(x < 0.001 ? 3 : 1)} %`);

/** content | id | bias as one stacked bar: drawn only when content is not flagged as noise. */
function ShareBar({ content, id, bias }: { content: number; id: number; bias: number }) {
  const label = `content ${share(content)}, item id ${share(id)}, bias ${share(bias)}`;
  return (
    <div className="alpha" data-testid="health-share-bar">
      <div className="alpha-bar" role="img" aria-label={label} title={label}>
        <span className="alpha-i" style={{ width: `${content * 100}%` }} />
        <span className="alpha-e" style={{ width: `${(id + bias) * 100}%` }} />
      </div>
      <div className="alpha-legend">
        <span className="i">content {share(content)}</span>
        <span className="e">
          item id {share(id)} + bias {share(bias)}
        </span>
      </div>
    </div>
  );
}

export function ExplanationHealthPanel({ health }: { health: Health | null | undefined }) {
  if (!health) {
    return (
      <p className="small muted" data-testid="health-missing">
        No explanation health: this version was trained before runs measured it.
      </p>
    );
  }
  const flagged = new Set(health.flags.map((f) => f.code));
  const { alpha, becauseYouWatched: evidence } = health;
  return (
    <section data-testid="explanation-health" data-degenerate={health.flags.length > 0}>
      <h3>Explanation health</h3>
      <p className="small muted">
        Measured when the version was trained, over {health.samplePairs} served pairs ({health.sampleUsers} users × their top {health.topK}, seed {health.seed}).
      </p>
      {health.flags.map((f) => (
        <p key={f.code} className="notice notice-warning" data-testid="health-flag" data-code={f.code}>
          {f.message}
        </p>
      ))}
      {health.contentShare !== null && health.contentShare !== undefined && !flagged.has('CONTENT_TINY') ? (
        <ShareBar content={health.contentShare} id={health.idShare ?? 0} bias={health.biasShare ?? 0} />
      ) : null}
      <div className="stats">
        <div className="stat" data-testid="health-content-share">
          <span className="value small">{share(health.contentShare)}</span>
          <span className="label">of the rating from content {health.contentShare === null ? '(no score parts)' : `(ids ${share(health.idShare)}, biases ${share(health.biasShare)})`}</span>
        </div>
        <div className="stat" data-testid="health-alpha">
          <span className="value small">{alpha ? `${formatScore(alpha.mean)} ± ${formatScore(alpha.std)}` : '—'}</span>
          <span className="label">
            {alpha ? `α_I mean ± std; p5 ${formatScore(alpha.p5)}, p25 ${formatScore(alpha.p25)}, p50 ${formatScore(alpha.p50)}, p75 ${formatScore(alpha.p75)}, p95 ${formatScore(alpha.p95)}` : 'α_I (no fused branches)'}
          </span>
        </div>
        <div className="stat" data-testid="health-mask">
          <span className="value small">{health.maskKept === null || health.maskKept === undefined ? '—' : share(health.maskKept)}</span>
          <span className="label">{health.maskColumns ? `of ${health.maskColumns} feature columns kept by the mask` : 'mask (none for this kind)'}</span>
        </div>
        {health.maskColumns && health.maskStable !== null && health.maskStable !== undefined ? (
          <div className="stat" data-testid="health-mask-stable">
            <span className="value small">{health.maskStable}</span>
            <span className="label">of {health.maskColumns} feature columns stand out as stable across environments (mask value a modified z-score above 3.5 over the rest)</span>
          </div>
        ) : null}
        {health.newItems !== null && health.newItems !== undefined ? (
          <div className="stat" data-testid="health-new-items">
            <span className="value small">{health.newItems}</span>
            <span className="label">
              items without train edges scored by their stable content columns (the new-item route, α_I = 1); {health.newItemPairs} of the {health.samplePairs} sampled pairs
            </span>
          </div>
        ) : null}
        <div className="stat" data-testid="health-evidence">
          <span className="value small">{evidence?.ratio === null || evidence?.ratio === undefined ? '—' : `${evidence.ratio.toFixed(2)} ×`}</span>
          <span className="label">
            {evidence
              ? `co-occurrence evidence removed with the ${evidence.removed} "because you interacted with" items vs as many random history items (${evidence.pairs} pairs)`
              : '"because you interacted with" check (no user with enough history)'}
          </span>
        </div>
      </div>
      {health.modalities.length ? (
        <table data-testid="health-faithfulness">
          <thead>
            <tr>
              <th>modality removed</th>
              <th className="num">mean |stated part|</th>
              <th className="num">max |rating without it − predicted from the parts|</th>
              <th className="num">mean |rank change|</th>
            </tr>
          </thead>
          <tbody>
            {health.modalities.map((m) => (
              <tr key={m.modality}>
                <td>{m.modality}</td>
                <td className="num">{m.meanContribution.toExponential(2)}</td>
                <td className="num">{m.maxDeviation.toExponential(1)}</td>
                <td className="num">{m.meanRankChange.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
