// Opens the graph every command talks to: NEO4J_URI when set, else the project's own Neo4j, started on
// first use (it keeps running for the next command; `eior neo4j stop` stops it).
import { GraphClient, GraphError, interruptedImport, startLocalNeo4j, stopLocalNeo4j } from '@eior/graph';
import type { CliConfig } from './config';
import { say } from './output';

export async function withGraph<T>(config: CliConfig, work: (client: GraphClient) => Promise<T>): Promise<T> {
  const client = await openGraph(config);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** A long-lived client (for `serve`): NEO4J_URI, or the project's own Neo4j, started when it is not running. */
export async function openGraph(config: CliConfig): Promise<GraphClient> {
  return (await openGraphSession(config)).client;
}

/** As openGraph, saying whether this call started the project's own Neo4j (so the caller can stop it again). */
export async function openGraphSession(config: CliConfig): Promise<{ client: GraphClient; startedHere: boolean }> {
  const { neo4j } = config;
  if (!neo4j.external && (await interruptedImport(config.localNeo4j.home))) {
    // A bulk import killed before its commit: stopped here, the start below puts the old store back.
    say('An interrupted bulk import was found: restarting Neo4j to put its store back as it was before the import');
    await stopLocalNeo4j({ home: config.localNeo4j.home });
  }
  try {
    return { client: await GraphClient.connect(neo4j), startedHere: false };
  } catch (err) {
    if (neo4j.external || !(err instanceof GraphError) || err.code !== 'DATABASE_UNAVAILABLE') throw err;
  }
  say(`Neo4j is not running at ${neo4j.uri}: starting the project's own, page cache ${config.localNeo4j.pageCacheReason} (stop it with \`npx eior neo4j stop\`)`);
  let stage = '';
  const started = await startLocalNeo4j({
    ...config.localNeo4j,
    // One line per stage (resolve, compile, spawn, wait, ...), not the once-a-second waiting lines.
    onProgress: (line, progress) => {
      if (progress.stage !== stage) say(`  ${line}`);
      stage = progress.stage;
    },
  });
  say(`Neo4j ready at ${started.uri} in ${(started.startMs / 1000).toFixed(1)} s`);
  return { client: await GraphClient.connect({ ...neo4j, uri: started.uri }), startedHere: true };
}
