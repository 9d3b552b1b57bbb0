// POST/GET /graphql on plain node:http: the body read with a size limit, the API key checked, the request run by
// Apollo inside the request's scope (its id reaches masked errors), and a TIMEOUT answer when it runs too long.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { ApiLimits } from '../config';
import type { ApiContext } from '../context';
import { requestScope } from '../format-error';
import { keyFromHeaders, type ApiKeyVerifier, type VerifiedKey } from '../security/api-keys';
import { CLIENT_ADDRESS_HEADER, FRONT_TOKEN_HEADER } from './forward';
import { BodyTooLargeError, readBody, sendBodyTooLarge, sendGraphqlError } from './request-body';
import { serverTiming } from './server-timing';
import { countTokens } from './token-limit';

export interface GraphqlHandlerDeps {
  apollo: ApolloServer<ApiContext>;
  limits: ApiLimits;
  keys: ApiKeyVerifier;
  auth: 'mutations' | 'all';
  /** The context of one request, given its id, the caller's key and who the caller is (for per-client limits). */
  context: (requestId: string, apiKey: VerifiedKey | null, recordServed: boolean, clientId: string) => ApiContext;
  observe: (outcome: 'ok' | 'error', seconds: number) => void;
  /** Behind the priority worker of `eior serve --workers N` (http/forward.ts): the token its requests carry, which makes its caller-address header believed. */
  frontToken: string | null;
}

/** The caller's address: the priority worker's header when the request carries its token, else the connection's. */
function callerAddress(req: IncomingMessage, frontToken: string | null): string {
  const forwarded = req.headers[CLIENT_ADDRESS_HEADER];
  if (frontToken !== null && req.headers[FRONT_TOKEN_HEADER] === frontToken && typeof forwarded === 'string') return forwarded;
  return req.socket.remoteAddress ?? 'unknown';
}

/** `preread`: the POST body, when it was read already (the priority worker reads it to route the request). */
export async function handleGraphql(req: IncomingMessage, res: ServerResponse, url: URL, deps: GraphqlHandlerDeps, preread?: string): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-request-id', requestId);
  const started = process.hrtime.bigint();
  let body: unknown;
  if (req.method === 'POST') {
    let text: string;
    try {
      text = preread ?? (await readBody(req, deps.limits.maxBodyBytes));
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendBodyTooLarge(res, err);
      throw err;
    }
    const type = req.headers['content-type'] ?? '';
    if (/^application\/(graphql-response\+)?json/i.test(type)) {
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        return sendGraphqlError(res, 400, 'BAD_REQUEST', 'the request body is not valid JSON: send {"query": "...", "variables": {...}}');
      }
    } else {
      body = text;
    }
  }
  const persisted = req.method === 'POST' ? (body as { extensions?: { persistedQuery?: unknown } } | null)?.extensions?.persistedQuery : url.searchParams.get('extensions')?.includes('persistedQuery');
  if (persisted !== undefined && persisted !== null && persisted !== false) {
    return sendGraphqlError(res, 400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'this API does not take persisted queries: send the query text in `query`, without `extensions.persistedQuery`');
  }
  const query = req.method === 'POST' ? (body as { query?: unknown })?.query : url.searchParams.get('query');
  if (typeof query === 'string' && (countTokens(query, deps.limits.maxTokens) ?? 0) > deps.limits.maxTokens) {
    return sendGraphqlError(res, 400, 'GRAPHQL_VALIDATION_FAILED', `the query has more than ${deps.limits.maxTokens} tokens: split it or ask for fewer fields`);
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const presented = keyFromHeaders(headers);
  const apiKey = presented === null ? null : await deps.keys.identify(presented);
  if (presented !== null && apiKey === null) return sendGraphqlError(res, 401, 'UNAUTHENTICATED', 'the API key is not valid: create one with `eior api-key create --name NAME`');
  if (deps.auth === 'all' && apiKey === null) return sendGraphqlError(res, 401, 'UNAUTHENTICATED', 'this API needs a key for every request: send `Authorization: Bearer <key>`');

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), deps.limits.requestTimeoutMs);
  });
  const run = requestScope.run({ requestId }, () =>
    deps.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: async () => deps.context(requestId, apiKey, headers.get('x-eior-analytics') !== '1', apiKey ? `key:${apiKey.name}` : `ip:${callerAddress(req, deps.frontToken)}`),
    }),
  );
  const outcome = await Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (outcome === 'timeout') {
    deps.observe('error', seconds);
    return sendGraphqlError(res, 504, 'TIMEOUT', `the request took longer than ${deps.limits.requestTimeoutMs} ms and was abandoned`);
  }
  for (const [key, value] of outcome.headers) res.setHeader(key, value);
  res.setHeader('server-timing', [outcome.headers.get('server-timing'), serverTiming([['total', seconds * 1000]])].filter(Boolean).join(', '));
  res.statusCode = outcome.status ?? 200;
  deps.observe(res.statusCode < 400 ? 'ok' : 'error', seconds);
  if (outcome.body.kind === 'complete') {
    res.end(outcome.body.string);
    return;
  }
  for await (const chunk of outcome.body.asyncIterator) res.write(chunk);
  res.end();
}
