// `eior serve`: the GraphQL API (recommendations with explanations, environments, drift, models, feedback) and
// the BI endpoints over the graph (NEO4J_URI, or the project's own Neo4j, started if needed). Runs until Ctrl-C.
// With --workers N (EIOR_API_WORKERS) N processes take the requests, behind one more that owns the port and answers
// the served models' cheap reads itself (serve/serve-cluster.ts).
import cluster from 'node:cluster';
import type { Command } from 'commander';
import { ConfigError, loadApiConfig, startApi, type ApiConfig } from '@eior/api';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { openGraph } from '../graph-session';
import { report, say } from '../output';
import { freePort, runWorker, startOnFreePort, startWorkers, workerFailed } from '../serve/serve-cluster';
import { registerServing } from '../serve/serving-registry';
import { parseIntegerOption } from './options';

interface ServeOptions {
  port?: string;
  workers?: string;
  json: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the GraphQL API and the BI endpoints (configuration: EIOR_API_* variables, see README)')
    .option('--port <n>', 'HTTP port (default: EIOR_API_PORT or 4000; 0 picks a free one)')
    .option('--workers <n>', 'processes sharing the port, each with its own copy of the models (default: EIOR_API_WORKERS or 1)')
    .option('--json', 'print the URLs as one JSON object on the last line of stdout once serving', false)
    .action(async (opts: ServeOptions) => {
      const config = loadConfig();
      let api: ApiConfig;
      try {
        api = loadApiConfig(config.stateDir);
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(err.message);
        throw err;
      }
      // a worker takes the port the primary chose (EIOR_API_PORT), not --port (0 would give each worker its own)
      if (opts.port !== undefined && !cluster.isWorker) api = { ...api, port: parseIntegerOption('--port', opts.port, 0, 65535) };
      if (opts.workers !== undefined) api = { ...api, workers: parseIntegerOption('--workers', opts.workers, 1, 64) };

      if (cluster.isWorker) {
        const client = await openGraph(config);
        const worker = await runWorker(client, api).catch(async (err: unknown) => {
          // the primary says why and stops the other workers; nothing may keep this one alive (the graph's
          // connections, the channel to the primary)
          process.send!(workerFailed(err));
          await client.close();
          process.disconnect?.();
          return null;
        });
        if (worker === null) return;
        await untilStopped();
        await worker.close();
        await client.close();
        return;
      }
      // the graph first (the project's own Neo4j starts here if needed), so that workers find it running
      const client = await openGraph(config);
      if (api.workers > 1) {
        await client.close();
        // --port overrides EIOR_API_PORT in the workers' environment too
        const start = (port: number) => startWorkers(api.workers, port, process.env, api.priorityWorker ? { host: api.host, mixPriority: api.mixPriority, mixGroup: api.mixGroup } : null);
        const workers = api.port === 0 ? await startOnFreePort(() => freePort(api.host), start) : await start(api.port);
        printUrls(opts.json, api, workers.first.port, workers.first.backend, workers.first.sqlUrl ?? null, api.workers, workers.mixSchedule, workers.mixGroup);
        const unregister = registerServing(config.stateDir, `http://${api.host}:${workers.first.port}/graphql`);
        await untilStopped();
        unregister();
        say('stopping the API workers');
        await workers.stop();
        return;
      }
      const running = await startApi({ client, config: api }).catch(async (err: unknown) => {
        await client.close();
        throw err;
      });
      printUrls(opts.json, api, running.port, running.backend.name, running.bi ? running.bi.sqlUrl : undefined, 1);
      const unregister = registerServing(config.stateDir, `http://${api.host}:${running.port}/graphql`);
      await untilStopped();
      unregister();
      say('stopping the API');
      await running.close();
      await client.close();
    });
}

/**
 * sqlUrl: null when BI is on without a SQL port, undefined when BI is off; mixSchedule: how the mix workers run (with a
 * priority worker), mixGroup: their CPU control group (null where none was made).
 */
function printUrls(json: boolean, api: ApiConfig, port: number, backend: string, sqlUrl: string | null | undefined, workers: number, mixSchedule: string | null = null, mixGroup: string | null = null): void {
  const base = `http://${api.host}:${port}`;
  const bi = api.bi.enabled;
  const priorityWorker = workers > 1 && api.priorityWorker;
  const lines = [`GraphQL API: ${base}/graphql (model backend ${backend}${workers > 1 ? `, ${workers} workers` : ''}${priorityWorker ? ` and a priority worker; the ${workers} others at ${mixSchedule}${mixGroup ? `, in CPU group ${mixGroup}` : ''}` : ''})`, `metrics: ${base}/metrics`];
  if (bi) lines.push(`BI exports: ${base}/export (CSV and JSON)`, `BI SQL: ${sqlUrl ?? (api.bi.postgresUrl ? 'tables written to the PostgreSQL of EIOR_BI_POSTGRES_URL' : '(SQL endpoint off)')}`);
  report(json, [...lines, 'Ctrl-C stops it'], {
    graphql: `${base}/graphql`,
    metrics: `${base}/metrics`,
    exports: bi ? `${base}/export` : null,
    sql: sqlUrl ?? null,
    backend,
    workers,
    priorityWorker,
    mixSchedule,
    mixGroup,
  });
}

function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
