// The API edge for errors: codes meant for clients pass through; anything else is masked to INTERNAL_SERVER_ERROR
// with the request id, and logged in full with that id.
import { AsyncLocalStorage } from 'node:async_hooks';
import { unwrapResolverError } from '@apollo/server/errors';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
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

export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const mapped = original instanceof ApiError ? original : fromLibError(original);
    const { path, locations } = formatted;
    if (mapped) {
      const value = mapped.extensions.value;
      return { message: mapped.message, path, locations, extensions: value === undefined ? { code: mapped.code } : { code: mapped.code, value } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return { message: formatted.message, path, locations, extensions: { code } };
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
        if (response.body.kind !== 'single' || response.http.status !== undefined) return;
        const code = response.body.singleResult.errors?.map((e) => e.extensions?.code).find((c): c is ApiErrorCode => typeof c === 'string' && c in API_ERROR_STATUS);
        if (code) response.http.status = API_ERROR_STATUS[code];
      },
    };
  },
};
