// `eior neo4j start|stop|status`: the project's own Neo4j 5 (a JVM per store folder, Bolt on 127.0.0.1).
// With NEO4J_URI set the server is someone else's (Docker, Aura, a cluster): nothing is started or stopped.
import type { Command } from 'commander';
import {
  SERVER_STAGES, ServerProgress, localNeo4jStatus, startLocalNeo4j, stopLocalNeo4j, verifyBolt,
} from '@eior/graph';
import { CliConfig, LocalNeo4jConfig, loadConfig } from '../config';
import { CliError, EXIT_FAILURE } from '../errors';
import { progressBar, report, say } from '../output';
import { parseIntegerOption } from './options';

interface LocalFlags {
  port?: string;
  home?: string;
  json: boolean;
}

export function registerNeo4jCommand(program: Command): void {
  const neo4j = program
    .command('neo4j')
    .description("Start, stop or inspect the project's own Neo4j 5 (or report the server NEO4J_URI names)");

  withLocalFlags(neo4j.command('start'))
    .description('Start Neo4j on 127.0.0.1 (fetches and builds the launcher with Maven on first use); a running one is reused')
    .action(async (flags: LocalFlags) => startCommand(loadConfig(), flags));

  withLocalFlags(neo4j.command('stop'))
    .description('Stop the Neo4j of the store folder (SIGTERM, then SIGKILL after 60 s); nothing to do when it is not running')
    .action(async (flags: LocalFlags) => stopCommand(loadConfig(), flags));

  withLocalFlags(neo4j.command('status'))
    .description('Say whether Neo4j runs and where; exit code 0 when it answers, 1 when not')
    .action(async (flags: LocalFlags) => statusCommand(loadConfig(), flags));
}

function withLocalFlags(command: Command): Command {
  return command
    .option('--port <port>', 'Bolt port on 127.0.0.1 (default: EIOR_NEO4J_PORT or 7687)')
    .option('--home <dir>', 'folder of the store, logs and pid file (default: EIOR_NEO4J_HOME or .eior/neo4j)')
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false);
}

function localConfig(config: CliConfig, flags: LocalFlags): LocalNeo4jConfig {
  return {
    ...config.localNeo4j,
    port: flags.port === undefined ? config.localNeo4j.port : parseIntegerOption('--port', flags.port, 1, 65535),
    home: flags.home ?? config.localNeo4j.home,
  };
}

/** The server is the user's own: say so, and touch nothing. */
function reportExternal(config: CliConfig, flags: LocalFlags, action: 'start' | 'stop'): void {
  const line = `NEO4J_URI is set: the commands use the Neo4j at ${config.neo4j.uri}, which this project does not ${action}`;
  report(flags.json, [line], { external: true, uri: config.neo4j.uri, action: 'none' });
}

async function startCommand(config: CliConfig, flags: LocalFlags): Promise<void> {
  if (config.neo4j.external) return reportExternal(config, flags, 'start');
  const local = localConfig(config, flags);
  const bar = progressBar('neo4j', SERVER_STAGES.length, 'steps');
  let lastStage = '';
  const onProgress = (line: string, p: ServerProgress) => {
    bar.update(SERVER_STAGES.indexOf(p.stage) + 1, line);
    // Without a terminal the bar is silent: one line per step keeps CI logs readable.
    if (!process.stderr.isTTY && p.stage !== lastStage) say(line);
    lastStage = p.stage;
  };
  const started = await startLocalNeo4j({ ...local, onProgress }).finally(() => bar.stop());
  const seconds = (started.startMs / 1000).toFixed(1);
  report(
    flags.json,
    [
      started.alreadyRunning
        ? `Neo4j is already running at ${started.uri} (pid ${started.pid}); checked in ${seconds} s`
        : `Neo4j started at ${started.uri} (pid ${started.pid}) in ${seconds} s`,
      ...(started.alreadyRunning ? [] : [`  page cache ${local.pageCacheReason}`]),
      `  store and logs in ${local.home}`,
      '  stop it with `npx eior neo4j stop`',
    ],
    { external: false, ...started, home: local.home, port: local.port, ...(started.alreadyRunning ? {} : { pageCache: local.pageCache }) },
  );
}

async function stopCommand(config: CliConfig, flags: LocalFlags): Promise<void> {
  if (config.neo4j.external) return reportExternal(config, flags, 'stop');
  const local = localConfig(config, flags);
  if (flags.port !== undefined) {
    const status = await localNeo4jStatus(local);
    if (status.pid !== undefined && status.port !== local.port) {
      throw new CliError(`--port ${local.port} does not match: the Neo4j of ${local.home} runs on port ${status.port} (pid ${status.pid}); nothing was stopped`);
    }
  }
  const stopped = await stopLocalNeo4j({ home: local.home });
  const human = stopped.wasRunning ? `${stopped.message} in ${(stopped.stopMs / 1000).toFixed(1)} s` : stopped.message;
  report(flags.json, [human], { external: false, home: local.home, ...stopped });
}

async function statusCommand(config: CliConfig, flags: LocalFlags): Promise<void> {
  if (config.neo4j.external) {
    const { uri, user, password } = config.neo4j;
    let reason = '';
    try {
      await verifyBolt(uri, { user, password });
    } catch (err) {
      reason = (err as Error).message;
    }
    const human = reason === '' ? `Neo4j at ${uri} (NEO4J_URI) answers` : `${reason} (from NEO4J_URI)`;
    report(flags.json, [human], { external: true, uri, running: reason === '', ...(reason ? { reason } : {}) });
    if (reason !== '') process.exitCode = EXIT_FAILURE;
    return;
  }
  const local = localConfig(config, flags);
  const status = await localNeo4jStatus(local);
  const human = {
    running: `Neo4j is running at ${status.uri} (pid ${status.pid}); store in ${status.home}`,
    starting: `Neo4j (pid ${status.pid}) is starting; it will listen at ${status.uri}; store in ${status.home}`,
    stopped: `Neo4j is not running (store in ${status.home}); start it with \`npx eior neo4j start\``
      + (status.portBusy ? `; note: port ${status.port} is held by another process` : ''),
  }[status.state];
  report(flags.json, [human], { external: false, ...status });
  if (!status.running) process.exitCode = EXIT_FAILURE;
}
