// Every command of `npx eior`, one file each.
import type { Command } from 'commander';
import { registerNeo4jCommand } from './neo4j.command';
import { registerIngestCommand } from './ingest.command';
import { registerStatsCommand } from './stats.command';
import { registerStartCommand } from './start.command';
import { registerGenerateCommand } from './generate.command';
import { registerTrainCommand } from './train.command';
import { registerExplainCommand } from './explain.command';
import { registerServeCommand } from './serve.command';
import { registerApiKeyCommand } from './api-key.command';
import { registerDatasetsCommand } from './datasets.command';
import { registerModelsCommand } from './models.command';
import { registerTuneCommand } from './tune.command';

export function registerCommands(program: Command): void {
  registerNeo4jCommand(program);
  registerIngestCommand(program);
  registerStatsCommand(program);
  registerStartCommand(program);
  registerGenerateCommand(program);
  registerTrainCommand(program);
  registerExplainCommand(program);
  registerServeCommand(program);
  registerApiKeyCommand(program);
  registerDatasetsCommand(program);
  registerModelsCommand(program);
  registerTuneCommand(program);
}
