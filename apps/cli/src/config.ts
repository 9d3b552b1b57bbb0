// The one place the CLI reads the environment: validated once, handed down as typed objects.
import path from 'node:path';
import { defaultPageCache } from '@eior/graph';
import { CliError } from './errors';

export interface Neo4jEndpoint {
  /** Bolt or neo4j URI of the server every command talks to. */
  uri: string;
  user: string;
  password: string;
  /** True when the user pointed us at their own server (NEO4J_URI): we never start or stop it. */
  external: boolean;
}

export interface LocalNeo4jConfig {
  /** Folder of the project's own Neo4j: store, logs, pid file. Git-ignored. */
  home: string;
  /** Bolt port on 127.0.0.1. */
  port: number;
  /** JVM heap, e.g. "1g". */
  heap: string;
  /** Page cache size, e.g. "256m": EIOR_NEO4J_PAGECACHE, else sized from the machine's memory (defaultPageCache). */
  pageCache: string;
  /** How the page cache was chosen, for the line a start prints. */
  pageCacheReason: string;
}

export interface CliConfig {
  /** Root of the checkout (where package.json with the `eior` bin lives). */
  repoRoot: string;
  /** Folder for everything the project writes at run time (Neo4j store, models, generated data). */
  stateDir: string;
  neo4j: Neo4jEndpoint;
  localNeo4j: LocalNeo4jConfig;
  /** Port of the dashboard `eior start` runs (EIOR_WEB_PORT). */
  webPort: number;
}

export const DEFAULT_BOLT_PORT = 7687;

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliError(`${name}=${JSON.stringify(raw)} is not a valid port: expected an integer from 1 to 65535`);
  }
  return port;
}

function pageCacheOf(env: NodeJS.ProcessEnv): Pick<LocalNeo4jConfig, 'pageCache' | 'pageCacheReason'> {
  const given = env.EIOR_NEO4J_PAGECACHE;
  if (given !== undefined && given !== '') return { pageCache: given, pageCacheReason: `${given} (EIOR_NEO4J_PAGECACHE)` };
  const chosen = defaultPageCache();
  return { pageCache: chosen.size, pageCacheReason: chosen.reason };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const stateDir = path.resolve(env.EIOR_HOME ?? path.join(repoRoot, '.eior'));
  const port = parsePort('EIOR_NEO4J_PORT', env.EIOR_NEO4J_PORT, DEFAULT_BOLT_PORT);
  const localNeo4j: LocalNeo4jConfig = {
    home: path.resolve(env.EIOR_NEO4J_HOME ?? path.join(stateDir, 'neo4j')),
    port,
    heap: env.EIOR_NEO4J_HEAP ?? '1g',
    ...pageCacheOf(env),
  };
  const external = Boolean(env.NEO4J_URI);
  const neo4j: Neo4jEndpoint = {
    uri: env.NEO4J_URI || `bolt://127.0.0.1:${port}`,
    user: env.NEO4J_USER ?? 'neo4j',
    password: env.NEO4J_PASSWORD ?? '',
    external,
  };
  return { repoRoot, stateDir, neo4j, localNeo4j, webPort: parsePort('EIOR_WEB_PORT', env.EIOR_WEB_PORT, 3000) };
}
