// Model versions beside a user's recommendations: each other version links to a side-by-side comparison of its
// top-N with the current one's, and the drift report's current vs previous top-K overlap is shown when present.
import Link from 'next/link';
import type { ModelListQuery } from '@/generated/graphql';
import { queryApi } from '@/lib/graphql-client';
import { formatDrift, formatTime } from '@/lib/format';
import { href } from '@/lib/search-params';
import { MODEL_OVERLAP } from '@/queries/recommendations';
import { EmptyState } from './notices';

type ModelRow = ModelListQuery['models'][number];

export function ModelVersionsList({ dataset, models, compareHref }: { dataset: string; models: ModelRow[]; compareHref?: (version: string) => string }) {
  if (!models.length) return <EmptyState>No trained version of {dataset} yet.</EmptyState>;
  return (
    <ul className="chips" data-testid="model-versions">
      {models.map((m) => (
        <li key={m.version} className="chip" title={`trained ${formatTime(m.createdAt)}`}>
          <strong>{m.version}</strong> {m.model} {m.current ? <span className="badge badge-current">current</span> : null}{' '}
          {m.serving ? <span className="badge badge-serving">serving</span> : null}
          {compareHref && !m.serving ? (
            <>
              {' '}
              <Link href={compareHref(m.version)} data-testid={`compare-${m.version}`}>
                compare with the current one →
              </Link>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The MODEL_VERSION comparison of the drift report (async: rendered in a Suspense boundary, it can be slow). */
export async function ModelOverlap({ dataset }: { dataset: string }) {
  const res = await queryApi(MODEL_OVERLAP, { dataset });
  if (!res.ok) return <p className="muted small">Top-K overlap not available: {res.failure.kind === 'graphql' ? res.failure.message : 'the API did not answer'}.</p>;
  if (res.data.drift.state === 'NOT_READY') return <p className="muted small">Top-K overlap not available yet: the drift report of {res.data.drift.modelVersion} is still being built (reload in a minute).</p>;
  const comparison = res.data.drift.comparisons.find((c) => c.kind === 'MODEL_VERSION');
  if (!comparison) {
    return (
      <EmptyState testId="no-model-version">
        No previous version to compare {res.data.drift.modelVersion} with: the drift report has no MODEL_VERSION comparison (train another version
        to get one).
      </EmptyState>
    );
  }
  const overlap = comparison.values.find((v) => v.subject === 'top-k-overlap') ?? comparison.values[0];
  return (
    <div data-testid="model-overlap">
      <p>
        <strong>{comparison.name}</strong>: mean overlap <strong className="num">{overlap ? formatDrift(overlap.value) : '–'}</strong> over{' '}
        {comparison.currentSize} users ({comparison.current} against {comparison.reference}).{' '}
        {overlap ? (
          <span className={`badge ${overlap.drifted ? 'badge-drifted' : 'badge-stable'}`}>
            {overlap.drifted ? `drifted: below ${overlap.threshold}` : `stable: at or above ${overlap.threshold}`}
          </span>
        ) : null}
      </p>
      <p className="muted small">
        See every comparison on the <Link href={href('/drift', { dataset })}>drift page</Link>.
      </p>
    </div>
  );
}
