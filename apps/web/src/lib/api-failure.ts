// Why a request to the API failed, classified so a page can tell a person what to do: the API is not
// running, the dataset has no trained model, the user or item is unknown, the input is bad, or something else.

export type ApiFailure =
  /** Nothing answered at the URL (connection refused, unknown host, reset). */
  | { kind: 'unreachable'; url: string; detail: string }
  /** The API did not answer within the configured time. */
  | { kind: 'timeout'; url: string; seconds: number }
  /** The API answered with a GraphQL error carrying extensions.code. */
  | { kind: 'graphql'; url: string; status: number; code: string; message: string; requestId?: string }
  /** The API answered with something that is not a GraphQL response. */
  | { kind: 'http'; url: string; status: number; body: string };

/** The error codes of the API (apps/api/src/errors.ts) the dashboard explains in its own words. */
export const API_CODES = {
  notFound: 'NOT_FOUND',
  badInput: 'BAD_USER_INPUT',
  modelNotReady: 'MODEL_NOT_READY',
} as const;

interface GraphQLErrorJson {
  message?: string;
  extensions?: { code?: string; requestId?: string };
}

/** A failure from a thrown fetch error (network or abort). */
export function failureFromThrown(url: string, error: unknown, timeoutMs: number): ApiFailure {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { kind: 'timeout', url, seconds: Math.round(timeoutMs / 1000) };
  const detail = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
  return { kind: 'unreachable', url, detail };
}

/** A failure from the first GraphQL error of a response. */
export function failureFromErrors(url: string, status: number, errors: GraphQLErrorJson[]): ApiFailure {
  const first = errors[0] ?? {};
  return {
    kind: 'graphql',
    url,
    status,
    code: first.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
    message: first.message ?? 'the API answered with an error without a message',
    requestId: first.extensions?.requestId,
  };
}

export function isCode(failure: ApiFailure, code: string): boolean {
  return failure.kind === 'graphql' && failure.code === code;
}

/** One line for logs and for the page title of an error. */
export function failureHeadline(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'unreachable':
      return `the API at ${failure.url} is not reachable`;
    case 'timeout':
      return `the API at ${failure.url} did not answer within ${failure.seconds} s`;
    case 'graphql':
      return `${failure.code}: ${failure.message}`;
    case 'http':
      return `the API at ${failure.url} answered HTTP ${failure.status} without a GraphQL response`;
  }
}
