// Every command of `npx eior`, one file each. A run loads the modules of the command it names only (the model's,
// the API's and the server's modules are far more than an ingest needs); help and an unknown name load them all.
import type { Command } from 'commander';

type Register = (program: Command) => void;

/** Each command's module, loaded when asked for, in the order `eior --help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  neo4j: async () => (await import('./neo4j.command')).registerNeo4jCommand,
  ingest: async () => (await import('./ingest.command')).registerIngestCommand,
  stats: async () => (await import('./stats.command')).registerStatsCommand,
  start: async () => (await import('./start.command')).registerStartCommand,
  generate: async () => (await import('./generate.command')).registerGenerateCommand,
  train: async () => (await import('./train.command')).registerTrainCommand,
  explain: async () => (await import('./explain.command')).registerExplainCommand,
  serve: async () => (await import('./serve.command')).registerServeCommand,
  'api-key': async () => (await import('./api-key.command')).registerApiKeyCommand,
  datasets: async () => (await import('./datasets.command')).registerDatasetsCommand,
  models: async () => (await import('./models.command')).registerModelsCommand,
  tune: async () => (await import('./tune.command')).registerTuneCommand,
};

/** Registers the command that argv names (argv[2], after node and the script), or every command when it names none. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = argv[2];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]())(program);
}
