// Jest global teardown of the integration project: stops the Neo4j that global-setup started, and only that.
import { stopLocalNeo4j } from '../../libs/graph/src/server';
import type { TestNeo4jState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state: TestNeo4jState | undefined = globalThis.__EIOR_TEST_NEO4J__;
  if (!state?.startedByUs) return;
  const stopped = await stopLocalNeo4j({ home: state.home });
  process.stderr.write(`[test neo4j] ${stopped.message}\n`);
  globalThis.__EIOR_TEST_NEO4J__ = undefined;
}
