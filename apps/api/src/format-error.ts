// The API edge for errors: codes meant for clients pass through; anything else is masked to INTERNAL_SERVER_ERROR
// with the request id, and logged in full with that id. A client message that would leak a path or an error text
// of Node or the driver keeps its code and loses its text (the log keeps it).
import type { LeakGuard } from './leak-guard';
import { AsyncLocalStorage } from 'node:async_hooks';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { API_ERROR_STATUS, ApiError, fromLibError, type ApiErrorCode } from './errors';
import type { Logger } from './logger';

/** The id of the request being handled (set by the HTTP layer around each request). */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Codes graphql-js, Apollo and type-graphql give to errors that are the client's to fix. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

export function createFormatError(log: Logger, leaks: LeakGuard) {
  const withheld = (code: string, message: string, err: unknown): string => {
    const requestId = requestScope.getStore()?.requestId ?? 'unknown';
    log.warn({ requestId, code, message, err }, 'error message withheld from the client (it held internal detail)');
    return `${code}: the details are withheld; the server log has them under request id ${requestId}`;
  };
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const mapped = original instanceof ApiError ? original : fromLibError(original);
    const { path, locations } = formatted;
    if (mapped) {
      const { value, retryAfterSeconds } = mapped.extensions;
      const message = leaks(mapped.message) ? withheld(mapped.code, mapped.message, original) : mapped.message;
      return { message, path, locations, extensions: { code: mapped.code, ...(value === undefined ? {} : { value }), ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) } };
    }
    const given = formatted.extensions?.code;
    // an error of graphql-js or Apollo itself without a code (e.g. "Unsupported persisted query version") is about
    // the request, not the server: nothing of ours threw it
    const code = given === undefined && original instanceof GraphQLError && !original.originalError ? 'BAD_REQUEST' : given;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const message = leaks(formatted.message) ? withheld(code, formatted.message, original) : formatted.message;
      return { message, path, locations, extensions: { code } };
    }
    const requestId = requestScope.getStore()?.requestId ?? 'unknown';
    log.error({ requestId, err: original, path }, 'unexpected error (masked for the client)');
    return { message: `internal error: the server log has the details under request id ${requestId}`, path, locations, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
  };
}

/**
 * The HTTP status of a response with errors: the status of the first error code of ours (errors of the libs are
 * mapped in formatError, after Apollo has chosen a status). Apollo's own 4xx for parse and validation failures stay.
 */
export const errorStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors ?? [];
        const retryAfter = errors.map((e) => e.extensions?.retryAfterSeconds).find((s): s is number => typeof s === 'number');
        if (retryAfter !== undefined) response.http.headers.set('retry-after', String(retryAfter));
        if (response.http.status !== undefined) return;
        const code = errors.map((e) => e.extensions?.code).find((c): c is ApiErrorCode => typeof c === 'string' && c in API_ERROR_STATUS);
        if (code) response.http.status = API_ERROR_STATUS[code];
      },
    };
  },
};
