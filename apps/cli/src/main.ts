// `npx eior <command>`: one entry for everything a person runs. Exit code 0 only on success.
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_FAILURE } from './errors';
import { registerCommands } from './commands';

/** The program with the command argv names registered (every command when it names none). */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('eior')
    .description('EIOR: explainable multimedia recommendations (ERM and IRM Optimized Rating on UltraGCN)')
    .showHelpAfterError()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version exit through here with code 0; usage errors were already printed.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  const known = err as { code?: string; message?: string };
  if (known && typeof known.code === 'string' && typeof known.message === 'string') {
    process.stderr.write(`error [${known.code}]: ${known.message}\n`);
    return known.code === 'BAD_USER_INPUT' || known.code === 'NOT_FOUND' ? 2 : EXIT_FAILURE;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT_FAILURE;
}
