// Jest global setup of the integration project: a real Neo4j for every test file. NEO4J_URI names one
// (Docker, Aura, a cluster, or `npx eior neo4j start` in CI) and nothing is started; otherwise the project's
// own server starts on a test-only store and port, and workers inherit NEO4J_URI from this process.
import path from 'node:path';
import { startLocalNeo4j } from '../../libs/graph/src/server';

export const TEST_NEO4J_HOME = path.resolve(__dirname, '..', '..', '.eior', 'test-neo4j');
/** Not 7687, so a developer's own `npx eior neo4j start` and its data are left alone. */
export const DEFAULT_TEST_NEO4J_PORT = 7697;

/** What teardown needs to know; globalSetup and globalTeardown share this process's globalThis. */
export interface TestNeo4jState {
  home: string;
  startedByUs: boolean;
}

declare global {
  var __EIOR_TEST_NEO4J__: TestNeo4jState | undefined;
}

export function testNeo4jPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.EIOR_TEST_NEO4J_PORT;
  if (raw === undefined || raw === '') return DEFAULT_TEST_NEO4J_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`EIOR_TEST_NEO4J_PORT=${JSON.stringify(raw)} is not valid: expected an integer from 1 to 65535`);
  }
  return port;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.NEO4J_URI) {
    process.stderr.write(`\nintegration tests use NEO4J_URI=${process.env.NEO4J_URI}\n`);
    return;
  }
  const port = testNeo4jPort();
  let lastStage = '';
  const started = await startLocalNeo4j({
    home: TEST_NEO4J_HOME,
    port,
    heap: '1g',
    pageCache: '256m',
    onProgress: (line, p) => {
      if (p.stage === lastStage) return;
      lastStage = p.stage;
      process.stderr.write(`\n[test neo4j] ${line}`);
    },
  });
  process.stderr.write(`\n[test neo4j] ${started.alreadyRunning ? 'already running' : `started in ${(started.startMs / 1000).toFixed(1)} s`}: ${started.uri}\n`);
  process.env.NEO4J_URI = started.uri;
  process.env.NEO4J_USER = 'neo4j';
  process.env.NEO4J_PASSWORD = '';
  // A server found running (a previous run's, or a developer's) is theirs: teardown leaves it running.
  globalThis.__EIOR_TEST_NEO4J__ = { home: TEST_NEO4J_HOME, startedByUs: !started.alreadyRunning };
}
