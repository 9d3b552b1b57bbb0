// The dashboard's GraphQL client: server-side POSTs to the API named by the config, typed by the operations'
// generated types, answering data or a classified failure (never a thrown network error) so pages can explain it.
import { connection } from 'next/server';
import { webConfig } from '@/config';
import { failureFromErrors, failureFromThrown, type ApiFailure } from './api-failure';

/** An operation's text with its result and variables types attached (from src/generated/graphql.ts). */
export interface TypedQuery<TData, TVariables> {
  readonly text: string;
  /** Never set: carries the types. */
  readonly __types?: (variables: TVariables) => TData;
}

/** Joins an operation with the fragments it spreads. */
export function typedQuery<TData, TVariables>(operation: string, ...fragments: string[]): TypedQuery<TData, TVariables> {
  return { text: [operation, ...fragments].join('\n') };
}

export type ApiResult<TData> = { ok: true; data: TData } | { ok: false; failure: ApiFailure };

/** 429 answers (an older model version still loading) are asked again after Retry-After, this many times at most. */
const RETRIES_AFTER_429 = 3;

/**
 * Runs one query. Calling it marks the page as dynamic (rendered per request, never at build time), so a
 * page always shows what the API holds now.
 */
export async function queryApi<TData, TVariables>(query: TypedQuery<TData, TVariables>, variables: TVariables): Promise<ApiResult<TData>> {
  await connection();
  const { apiUrl, apiTimeoutMs } = webConfig();
  let res: Response;
  let text: string;
  try {
    for (let attempt = 0; ; attempt++) {
      res = await post(apiUrl, apiTimeoutMs, query.text, variables);
      const wait = Number(res.headers.get('retry-after'));
      if (res.status !== 429 || attempt >= RETRIES_AFTER_429 || !(wait > 0 && wait <= 10)) break;
      await res.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    text = await res.text();
  } catch (error) {
    return { ok: false, failure: failureFromThrown(apiUrl, error, apiTimeoutMs) };
  }
  let body: { data?: TData | null; errors?: { message?: string; extensions?: { code?: string; requestId?: string } }[] };
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, failure: { kind: 'http', url: apiUrl, status: res.status, body: text.slice(0, 300) } };
  }
  if (body.errors?.length) return { ok: false, failure: failureFromErrors(apiUrl, res.status, body.errors) };
  if (!body.data) return { ok: false, failure: { kind: 'http', url: apiUrl, status: res.status, body: text.slice(0, 300) } };
  return { ok: true, data: body.data };
}

function post(apiUrl: string, timeoutMs: number, query: string, variables: unknown): Promise<Response> {
  return fetch(apiUrl, {
    method: 'POST',
    // analysts browsing are not served users: keep their views out of the served-recommendation statistics
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-eior-analytics': '1' },
    body: JSON.stringify({ query, variables }),
    cache: 'no-store',
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** The API URL the dashboard talks to (shown in the footer and in errors). */
export function apiUrl(): string {
  return webConfig().apiUrl;
}
