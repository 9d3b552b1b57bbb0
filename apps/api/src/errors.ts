// The API's errors: a stable code in `extensions.code` (Apollo's convention), a message that names the bad value
// and what was expected, and the HTTP status the response carries. Errors from the libs are mapped here; anything
// else is masked at the edge (format-error.ts) and logged with the request id.
import { GraphQLError } from 'graphql';

export const API_ERROR_STATUS = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  MODEL_NOT_READY: 503,
  DATABASE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export class ApiError extends GraphQLError {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: { cause?: unknown; value?: string; retryAfterSeconds?: number } = {},
  ) {
    const extensions = {
      code,
      http: { status: API_ERROR_STATUS[code] },
      ...(options.value === undefined ? {} : { value: options.value }),
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
    };
    super(message, { extensions, originalError: options.cause instanceof Error ? options.cause : undefined });
    this.name = 'ApiError';
  }
}

export const badInput = (message: string): ApiError => new ApiError('BAD_USER_INPUT', message);
/** NOT_FOUND; `value` (the id asked for) comes back in extensions.value exactly as it was sent. */
export const notFound = (message: string, value?: string): ApiError => new ApiError('NOT_FOUND', message, { value });

/** Lib codes that pass through to clients as they are (same name, same meaning). */
const PASSED_THROUGH: Record<string, ApiErrorCode> = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
};

/** A GraphError or ModelError as an ApiError; null for anything else (to be masked). */
export function fromLibError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  const e = err as { name?: string; code?: string; message?: string };
  if ((e?.name === 'GraphError' || e?.name === 'ModelError' || e?.name === 'InvalidConfigError' || e?.name === 'InputFileError') && e.code && PASSED_THROUGH[e.code]) {
    return new ApiError(PASSED_THROUGH[e.code], e.message ?? String(err), { cause: err });
  }
  return null;
}

/** Checks a string argument's length, so a megabyte of id fails with a message instead of a slow lookup. */
export function checkText(name: string, value: string, max = 256): string {
  if (value.length === 0) throw badInput(`${name} is empty: expected 1 to ${max} characters`);
  if (value.length > max) throw badInput(`${name} is ${value.length} characters long: expected at most ${max}`);
  return value;
}

/** Checks an integer argument's range. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${name} = ${value} is out of range: expected an integer from ${min} to ${max}`);
  return value;
}
