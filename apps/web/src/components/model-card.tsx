// One trained model version: kind, when and where it trained, the data it was trained on (and the new events it
// predates after an append), whether it is current and serving, its metrics, its explanation health, and its full
// config as collapsible JSON.
import type { ModelsQuery } from '@/generated/graphql';
import { formatSeconds, formatTime } from '@/lib/format';
import { ExplanationHealthPanel } from './explanation-health';
import { MetricChips } from './metric-chips';

type ModelRow = ModelsQuery['models'][number];

/** +24.1 %, -50.0 %, or "not scored" for versions trained before runs scored popularity. */
function formatLift(lift: number | null | undefined): string {
  if (lift === null || lift === undefined) return 'not scored';
  return `${lift >= 0 ? '+' : ''}${(100 * lift).toFixed(1)} %`;
}

/** "95 %: −3.1 to +8.9 %", or nothing for versions trained before runs kept the users' values. */
function formatInterval(interval: ModelRow['liftInterval']): string {
  if (!interval) return '';
  const pct = (x: number) => `${x < 0 ? '−' : '+'}${(100 * Math.abs(x)).toFixed(1)}`;
  return `${Math.round(100 * interval.level)} %: ${pct(interval.low)} to ${pct(interval.high)} %`;
}

export function ModelCard({ model }: { model: ModelRow }) {
  return (
    <article className="card" data-testid="model-card" data-version={model.version} data-current={model.current} data-serving={model.serving}>
      <div className="spread">
        <h2 style={{ margin: 0 }}>
          {model.version} <span className="muted">{model.model}</span>
        </h2>
        <span>
          {model.current ? <span className="badge badge-current">current</span> : null}{' '}
          {model.serving ? <span className="badge badge-serving">serving</span> : null}
          {model.current && !model.serving ? <span className="badge">current, not loaded yet</span> : null}
        </span>
      </div>
      <div className="stats">
        <div className="stat">
          <span className="value small">{formatTime(model.createdAt)}</span>
          <span className="label">created</span>
        </div>
        <div className="stat">
          <span className="value small">{model.backend}</span>
          <span className="label">backend</span>
        </div>
        <div className="stat">
          <span className="value small">{model.bestEpoch}</span>
          <span className="label">kept epoch</span>
        </div>
        <div className="stat">
          <span className="value small">{formatSeconds(model.trainingSeconds)}</span>
          <span className="label">training time</span>
        </div>
        <div className="stat" data-testid="model-trained-on" data-state={model.trainedOn?.state ?? 'unknown'}>
          <span className="value small">{model.trainedOn ? `${model.trainedOn.events.toLocaleString('en-US')} events` : 'unknown'}</span>
          <span className="label">trained on</span>
        </div>
        <div className="stat" data-testid="model-lift">
          <span className="value small">{formatLift(model.liftOverPopularity)}</span>
          <span className="label">lift over popularity (validation NDCG@20)</span>
          {model.liftInterval ? (
            <span className="label" data-testid="model-lift-interval" data-holds-zero={model.liftInterval.low <= 0 && model.liftInterval.high >= 0}>
              {formatInterval(model.liftInterval)}
              {model.liftInterval.low <= 0 && model.liftInterval.high >= 0 ? ': not told apart from popularity on this split' : ''}
            </span>
          ) : null}
        </div>
      </div>
      {model.trainedOn?.state === 'PREDATES_APPENDS' ? (
        <p className="notice notice-warning" data-testid="predates-appends">
          Predates {model.trainedOn.newEvents?.toLocaleString('en-US')} new events ({model.trainedOn.newAppends} append
          {model.trainedOn.newAppends === 1 ? '' : 's'} since it was trained): it
          {model.serving ? ' still serves' : ' can still serve'} the users and items it was trained on; train a new version to include the rest.
        </p>
      ) : null}
      {model.trainedOn?.state === 'OTHER_DATA' ? (
        <p className="notice notice-warning" data-testid="other-data">
          Trained on other data: the dataset was ingested again since, so this version cannot serve.
        </p>
      ) : null}
      {model.clearsPopularity === false ? (
        <p className="notice notice-warning" data-testid="below-popularity">
          Below popularity: on validation this version ranks worse than a list of the most-watched items, so it is
          {model.current ? ' served only because it was forced.' : ' not made current.'}
        </p>
      ) : null}
      <h3>Test metrics</h3>
      <MetricChips metrics={model.testMetrics} testId="model-test-metrics" />
      <h3>Validation metrics (kept epoch)</h3>
      <MetricChips metrics={model.validMetrics} />
      <ExplanationHealthPanel health={model.explanationHealth} />
      <details>
        <summary data-testid="config-toggle">Config (hyperparameters)</summary>
        <pre className="json" data-testid="config-json">
          {JSON.stringify(model.config, null, 2)}
        </pre>
      </details>
    </article>
  );
}
