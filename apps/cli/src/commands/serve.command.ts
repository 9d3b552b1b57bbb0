// `eior serve`: the GraphQL API (recommendations with explanations, environments, drift, models, feedback) and
// the BI endpoints over the graph (NEO4J_URI, or the project's own Neo4j, started if needed). Runs until Ctrl-C.
import type { Command } from 'commander';
import { ConfigError, loadApiConfig, startApi } from '@eior/api';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { openGraph } from '../graph-session';
import { report, say } from '../output';
import { parseIntegerOption } from './options';

interface ServeOptions {
  port?: string;
  json: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Start the GraphQL API and the BI endpoints (configuration: EIOR_API_* variables, see README)')
    .option('--port <n>', 'HTTP port (default: EIOR_API_PORT or 4000; 0 picks a free one)')
    .option('--json', 'print the URLs as one JSON object on the last line of stdout once serving', false)
    .action(async (opts: ServeOptions) => {
      const config = loadConfig();
      let api;
      try {
        api = loadApiConfig(config.stateDir);
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(err.message);
        throw err;
      }
      if (opts.port !== undefined) api = { ...api, port: parseIntegerOption('--port', opts.port, 0, 65535) };
      const client = await openGraph(config);
      const running = await startApi({ client, config: api }).catch(async (err: unknown) => {
        await client.close();
        throw err;
      });
      const base = `http://${api.host}:${running.port}`;
      const lines = [`GraphQL API: ${running.url} (model backend ${running.backend.name})`, `metrics: ${base}/metrics`];
      if (running.bi) lines.push(`BI exports: ${base}/export (CSV and JSON)`, `BI SQL: ${running.bi.sqlUrl ?? `tables written to ${api.bi.postgresUrl ? 'the PostgreSQL of EIOR_BI_POSTGRES_URL' : '(SQL endpoint off)'}`}`);
      report(opts.json, [...lines, 'Ctrl-C stops it'], {
        graphql: running.url,
        metrics: `${base}/metrics`,
        exports: running.bi ? `${base}/export` : null,
        sql: running.bi?.sqlUrl ?? null,
        backend: running.backend.name,
      });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      say('stopping the API');
      await running.close();
      await client.close();
    });
}
