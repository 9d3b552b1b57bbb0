// Talking to a running API in tests: GraphQL over real HTTP (fetch), with the status, the data and the errors.
import { loadApiConfig, startApi, type ApiConfig, type ApiDeps, type RunningApi } from '../../apps/api/src';
import type { GraphClient } from '../../libs/graph/src';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string; value?: string; requestId?: string; retryAfterSeconds?: number } }[];
}

export async function gql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlResult<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  let body: { data?: T | null; errors?: GqlResult['errors'] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}: not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, data: body.data ?? null, errors: body.errors ?? [] };
}

/** gql, asking again after `Retry-After` while the answer is 429 (a version still loading), at most `tries` times. */
export async function gqlRetrying<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, tries = 20): Promise<GqlResult<T>> {
  for (let k = 1; ; k++) {
    const res = await gql<T>(url, query, variables);
    const wait = res.errors[0]?.extensions?.retryAfterSeconds;
    if (res.status !== 429 || typeof wait !== 'number' || k >= tries) return res;
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
}

/**
 * An API on a free port over the test graph, models under `stateDir/models`, quiet logs, BI off unless asked for;
 * `front` makes it a worker of `eior serve --workers N` (with `mixPorts`: the priority worker).
 */
export async function startTestApi(client: GraphClient, stateDir: string, overrides: Partial<ApiConfig> = {}, front?: ApiDeps['front']): Promise<RunningApi> {
  const base = loadApiConfig(stateDir, {});
  const config: ApiConfig = { ...base, port: 0, modelPollMs: 200, logLevel: process.env.EIOR_TEST_API_LOG === 'on' ? 'warn' : 'silent', ...overrides, bi: { ...base.bi, enabled: false, sqlPort: null, ...overrides.bi } };
  return startApi({ client, config, front });
}

/**
 * Waits for a drift report of the dataset's served model that was started after this call (the API builds them in
 * the background, never for a request): a build already running may predate what the test just did, so it is
 * waited for first.
 */
export async function driftReady(api: RunningApi, dataset: string): Promise<void> {
  const model = await api.registry.get(dataset);
  await api.drift.refresh(model).catch(() => undefined);
  await api.drift.refresh(model);
}
