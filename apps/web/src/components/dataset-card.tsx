// One dataset on the overview: its size, how its interactions split, its events per day (growing with each
// append), its current model with test metrics and training curve, and its model versions.
import Link from 'next/link';
import type { DatasetsQuery, ModelListQuery } from '@/generated/graphql';
import { formatCount, formatTime } from '@/lib/format';
import { href } from '@/lib/search-params';
import { MetricChips } from './metric-chips';
import { ModelVersionsList } from './model-comparison';
import { EventsPerDayChart } from './events-per-day-chart';
import { EmptyState } from './notices';
import { TrainingCurveChart } from './training-curve-chart';

type DatasetRow = DatasetsQuery['datasets'][number];

const SPLITS = [
  { key: 'train', label: 'train', color: '#2563eb' },
  { key: 'valid', label: 'valid', color: '#60a5fa' },
  { key: 'test', label: 'test', color: '#a5b4fc' },
  { key: 'feedback', label: 'feedback', color: '#16a34a' },
] as const;

export function DatasetCard({ dataset, models }: { dataset: DatasetRow; models: ModelListQuery['models'] | undefined }) {
  const counts = dataset.interactions;
  const total = counts.train + counts.valid + counts.test + counts.feedback;
  const model = dataset.currentModel;
  return (
    <section className="card" data-testid="dataset-card" data-dataset={dataset.name}>
      <div className="spread">
        <h2 style={{ margin: 0 }}>{dataset.name}</h2>
        <span className="muted small">
          {dataset.status === 'complete' ? `ingested ${formatTime(dataset.ingestedAt)}` : `ingestion ${dataset.status}`}
        </span>
      </div>
      <div className="stats">
        <div className="stat">
          <span className="value" data-testid="dataset-users">{formatCount(dataset.users)}</span>
          <span className="label">users</span>
        </div>
        <div className="stat">
          <span className="value" data-testid="dataset-items">{formatCount(dataset.items)}</span>
          <span className="label">items</span>
        </div>
        <div className="stat">
          <span className="value">{formatCount(total)}</span>
          <span className="label">interactions</span>
        </div>
        <div className="stat">
          <span className="value" data-testid="dataset-events">{formatCount(dataset.events)}</span>
          <span className="label">events</span>
        </div>
        <div className="stat">
          <span className="value small">{dataset.modalities.map((m) => `${m.name} ${m.width}`).join(' · ') || '–'}</span>
          <span className="label">modalities (width)</span>
        </div>
      </div>
      <div className="alpha-bar" role="img" aria-label="Interactions per split" title={SPLITS.map((s) => `${s.label} ${formatCount(counts[s.key])}`).join(', ')}>
        {SPLITS.map((s) => (total ? <span key={s.key} style={{ width: `${(counts[s.key] / total) * 100}%`, background: s.color }} /> : null))}
      </div>
      <div className="alpha-legend" style={{ justifyContent: 'flex-start', gap: 14 }}>
        {SPLITS.map((s) => (
          <span key={s.key} style={{ color: s.color }}>
            ■ {s.label} {formatCount(counts[s.key])}
          </span>
        ))}
      </div>
      <h3 style={{ marginTop: 14 }}>Events per day</h3>
      <p className="small muted" data-testid="dataset-appends">
        {dataset.appends ? `${formatCount(dataset.appends)} append${dataset.appends === 1 ? '' : 's'}, the last ${formatTime(dataset.appendedAt)}` : 'no appends since the first ingest'}
        {dataset.eventsPerDay.undated ? ` · ${formatCount(dataset.eventsPerDay.undated)} events without a time` : ''}
      </p>
      {dataset.eventsPerDay.days.length ? (
        <EventsPerDayChart days={dataset.eventsPerDay.days} />
      ) : (
        <EmptyState testId="no-event-days">The events have no times, so they have no days to draw.</EmptyState>
      )}
      <h3 style={{ marginTop: 14 }}>Current model</h3>
      {model ? (
        <div data-testid="current-model" data-version={model.version}>
          <p className="small">
            <strong>{model.version}</strong> {model.model} · trained {formatTime(model.createdAt)} on {model.backend} · kept epoch {model.bestEpoch}{' '}
            {model.serving ? <span className="badge badge-serving">serving</span> : <span className="badge">not loaded yet</span>}
          </p>
          {model.trainedOn?.state === 'PREDATES_APPENDS' ? (
            <p className="notice notice-warning small" data-testid="current-model-predates">
              Trained before {formatCount(model.trainedOn.newEvents ?? 0)} newer events ({model.trainedOn.newAppends} append
              {model.trainedOn.newAppends === 1 ? '' : 's'}): it serves the users and items it knows; run <code>npx eior train --dataset {dataset.name}</code> to include the rest.
            </p>
          ) : null}
          <MetricChips metrics={model.testMetrics} limit={4} testId="test-metrics" />
          <TrainingCurveChart points={model.trainingCurve} bestEpoch={model.bestEpoch} />
        </div>
      ) : (
        <EmptyState testId="no-model">
          No trained model: run <code>npx eior train --dataset {dataset.name}</code>.
        </EmptyState>
      )}
      <h3 style={{ marginTop: 14 }}>Model versions</h3>
      {models ? <ModelVersionsList dataset={dataset.name} models={models} /> : <p className="muted small">Not available.</p>}
      <p className="small">
        <Link href={href('/recommendations', { dataset: dataset.name })}>Recommendations</Link> ·{' '}
        <Link href={href('/drift', { dataset: dataset.name })}>Environment drift</Link> · <Link href={href('/models', { dataset: dataset.name })}>Models</Link>
      </p>
    </section>
  );
}
