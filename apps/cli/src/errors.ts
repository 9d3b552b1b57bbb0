// Errors the CLI turns into a message and an exit code instead of a stack trace.

/** Exit code for bad input: a wrong flag, a malformed file, an unknown dataset. */
export const EXIT_BAD_INPUT = 2;
/** Exit code for a failure that is not the user's input (a server that did not start, a lost connection). */
export const EXIT_FAILURE = 1;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_BAD_INPUT) {
    super(message);
    this.name = 'CliError';
  }
}
