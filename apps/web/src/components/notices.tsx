// What a page shows a person instead of data: an API failure explained in words they can act on (start the
// API, train a model, check the id), or an empty state saying why there is nothing to show.
import type { ReactNode } from 'react';
import { API_CODES, type ApiFailure } from '@/lib/api-failure';

interface ApiErrorNoticeProps {
  failure: ApiFailure;
  /** The dataset the page asked about, to name it in the advice. */
  dataset?: string;
  /** What the page was loading, e.g. "recommendations". */
  what?: string;
}

/** An API failure with the action that fixes it. */
export function ApiErrorNotice({ failure, dataset, what }: ApiErrorNoticeProps) {
  const loading = what ? ` while loading ${what}` : '';
  if (failure.kind === 'unreachable' || failure.kind === 'timeout') {
    const reason = failure.kind === 'unreachable' ? 'is not reachable' : `did not answer within ${failure.seconds} s`;
    return (
      <Notice tone="error" title="API not reachable" testId="api-unreachable">
        <p>
          The API at <code>{failure.url}</code> {reason}
          {loading}: start it with <code>npx eior serve</code>
          {failure.kind === 'unreachable' ? ` (${failure.detail})` : ''}.
        </p>
        <p className="muted">The dashboard reads its address from EIOR_API_URL.</p>
      </Notice>
    );
  }
  if (failure.kind === 'http') {
    return (
      <Notice tone="error" title={`API answered HTTP ${failure.status}`} testId="api-error">
        <p>
          The API at <code>{failure.url}</code> answered without a GraphQL response{loading}: <code>{failure.body || '(empty body)'}</code>
        </p>
      </Notice>
    );
  }
  if (failure.code === API_CODES.modelNotReady) {
    const name = dataset ?? 'DATASET';
    return (
      <Notice tone="warning" title="No trained model" testId="model-not-ready">
        <p>
          No trained model for dataset <strong>{name}</strong>: run <code>npx eior train --dataset {name}</code>, then reload.
        </p>
        <p className="muted">The API said: {failure.message}</p>
      </Notice>
    );
  }
  const title = failure.code === API_CODES.notFound ? 'Not found' : failure.code === API_CODES.badInput ? 'Bad input' : `API error ${failure.code}`;
  return (
    <Notice tone={failure.code === API_CODES.notFound || failure.code === API_CODES.badInput ? 'warning' : 'error'} title={title} testId={failure.code === API_CODES.notFound ? 'not-found' : 'api-error'}>
      <p>{failure.message}</p>
      {failure.requestId ? <p className="muted">Request id {failure.requestId} (in the API's log).</p> : null}
    </Notice>
  );
}

interface NoticeProps {
  tone: 'error' | 'warning' | 'info';
  title: string;
  testId?: string;
  children: ReactNode;
}

/** A boxed message; role=alert for errors so screen readers announce it. */
export function Notice({ tone, title, testId, children }: NoticeProps) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <strong className="notice-title">{title}</strong>
      {children}
    </div>
  );
}

/** Nothing to show, and why. */
export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      {children}
    </div>
  );
}
