// Domain errors of @eior/model: a stable code and a message that names the bad value and what was expected.

export type ModelErrorCode = 'BAD_USER_INPUT' | 'BACKEND_UNAVAILABLE' | 'MODEL_DISPOSED' | 'NOT_FOUND' | 'CORRUPT_ARTIFACT';

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelError';
  }
}

/** A configuration value outside its allowed range. */
export class InvalidConfigError extends ModelError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super('BAD_USER_INPUT', `config.${field} = ${formatValue(value)} is invalid: expected ${allowed}`);
    this.name = 'InvalidConfigError';
  }
}

function formatValue(value: unknown): string {
  return typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
}
