// Domain errors of @eior/graph: a stable code and a message that names the bad value and what was expected.

export type GraphErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DATABASE_UNAVAILABLE'
  | 'SERVER_START_FAILED'
  | 'INTERNAL';

export class GraphError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GraphError';
  }
}

/** Bad input in a dataset file, located by file and line (or row). */
export class InputFileError extends GraphError {
  constructor(
    readonly file: string,
    readonly location: string | undefined,
    readonly reason: string,
  ) {
    super('BAD_USER_INPUT', `${file}${location ? `, ${location}` : ''}: ${reason}`);
    this.name = 'InputFileError';
  }
}
