// The bulk path of a first ingest (Neo4j's offline importer) against the transactional one: the same graph to the
// last property and value type, taken only when the project's own database is empty, and a kill -9 during the
// import or after the restart leaves the database empty and a re-run succeeds. Runs its own project Neo4j (the
// bulk path stops and starts it), on EIOR_TEST_BULK_NEO4J_PORT, else the tests' port + 1000.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphClient, isProcessAlive, stopLocalNeo4j } from '../../libs/graph/src';
import { lastJsonLine, runCli, startCli } from '../helpers/cli';
import { writeEventLog, type EventLog } from '../helpers/event-log';
import { datasetDigest } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const PORT = Number(process.env.EIOR_TEST_BULK_NEO4J_PORT ?? Number(process.env.EIOR_TEST_NEO4J_PORT ?? 7698) + 1000);
const COLUMNS = ['--user-col', 'user_id', '--item-col', 'video_id', '--timestamp-col', 'watched_at', '--rating-col', 'stars'];

/** The CLI's environment for a project state folder of its own (its own Neo4j), not the tests' NEO4J_URI. */
function projectEnv(stateDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, EIOR_HOME: stateDir, EIOR_NEO4J_PORT: String(PORT), EIOR_NEO4J_PAGECACHE: '128m', EIOR_NEO4J_HEAP: '512m' };
  delete env.NEO4J_URI;
  delete env.EIOR_NEO4J_HOME;
  return env;
}

async function connect(): Promise<GraphClient> {
  return GraphClient.connect({ uri: `bolt://127.0.0.1:${PORT}`, user: 'neo4j', password: '' });
}

/** Every property key with its value type, per label or relationship type, and the Dataset node without its times. */
async function typesAndDataset(client: GraphClient, dataset: string): Promise<{ types: string[]; node: Record<string, unknown> }> {
  return client.read(async (tx) => {
    const types = await tx.run(
      `MATCH (n {dataset: $dataset}) UNWIND keys(n) AS k RETURN DISTINCT labels(n)[0] + '.' + k + ':' + valueType(n[k]) AS t
       UNION MATCH (:User|Item {dataset: $dataset})-[x]->() UNWIND keys(x) AS k RETURN DISTINCT type(x) + '.' + k + ':' + valueType(x[k]) AS t`,
      { dataset },
    );
    const node = await tx.run('MATCH (d:Dataset {name: $dataset}) RETURN d {.*, name: null, createdAt: null, ingestedAt: null} AS d', { dataset });
    return { types: types.records.map((r) => r.get('t') as string).sort(), node: node.records[0].get('d') as Record<string, unknown> };
  });
}

async function countNodes(client: GraphClient): Promise<number> {
  return client.read(async (tx) => (await tx.run('MATCH (n) RETURN count(n) AS n')).records[0].get('n') as number);
}

describe('ingest --bulk (offline import into an empty database)', () => {
  let log: EventLog;
  const state = tempDir('bulk-state');
  const killed = tempDir('bulk-killed');
  let expected: Awaited<ReturnType<typeof datasetDigest>>;

  beforeAll(async () => {
    log = await writeEventLog();
  });
  afterAll(async () => {
    await stopLocalNeo4j({ home: path.join(state.dir, 'neo4j') });
    await stopLocalNeo4j({ home: path.join(killed.dir, 'neo4j') });
    state.remove();
    killed.remove();
    log.remove();
  });

  it('writes the graph a transactional ingest writes, and only into an empty database', async () => {
    const env = projectEnv(state.dir);
    const args = (name: string) => ['ingest', '--dataset', name, '--events', log.csv, ...COLUMNS, ...log.featureFlags, '--bulk', 'on', '--json'];
    const bulk = await runCli(args('bulk'), env);
    expect(bulk.code).toBe(0);
    expect(lastJsonLine(bulk.stdout).writePath).toEqual({ bulk: true, reason: expect.stringMatching(/^bulk import/), importerPeakRssMb: expect.any(Number) });
    // The database now holds a dataset: the same input under another name takes the transactional path and says why.
    const plain = await runCli(args('plain'), env);
    expect(plain.code).toBe(0);
    expect(lastJsonLine(plain.stdout).writePath).toEqual({ bulk: false, reason: expect.stringMatching(/the database holds \d+ nodes/) });

    const client = await connect();
    try {
      expected = await datasetDigest(client, 'plain');
      expect(expected.relationships).toBeGreaterThan(40_000);
      expect(await datasetDigest(client, 'bulk')).toEqual(expected);
      const [b, p] = [await typesAndDataset(client, 'bulk'), await typesAndDataset(client, 'plain')];
      expect(b).toEqual(p);
      expect(b.types).toEqual(expect.arrayContaining(['INTERACTED.events:FLOAT NOT NULL', 'INTERACTED.timestamp:INTEGER NOT NULL', 'HAS_FEATURE.values:LIST<FLOAT NOT NULL> NOT NULL', 'Item.absent:LIST<STRING NOT NULL> NOT NULL']));
      const count = (cypher: string) => client.read(async (tx) => (await tx.run(cypher)).records[0].get('n') as number);
      expect(await count("SHOW INDEXES YIELD state WHERE state <> 'ONLINE' RETURN count(*) AS n")).toBe(0);
      expect(await count('SHOW CONSTRAINTS YIELD name RETURN count(*) AS n')).toBe(11);
    } finally {
      await client.close();
      await stopLocalNeo4j({ home: path.join(state.dir, 'neo4j') }); // the next test's server takes the port
    }
  });

  it('leaves the database empty after a kill -9 during the import and after the restart, and a re-run succeeds', async () => {
    await stopLocalNeo4j({ home: path.join(state.dir, 'neo4j') }); // its port is this test's
    const env = projectEnv(killed.dir);
    const home = path.join(killed.dir, 'neo4j');
    const marker = path.join(home, 'bulk-import.json');
    const args = ['ingest', '--dataset', 'bulk', '--events', log.csv, ...COLUMNS, ...log.featureFlags, '--bulk', 'on', '--json'];
    const readMarker = () => {
      try {
        return JSON.parse(readFileSync(marker, 'utf8')) as { importerPid?: number };
      } catch {
        return null;
      }
    };
    const importing = async () => Boolean(readMarker()?.importerPid);
    // After the importer: its JVM gone, the marker still there (the server restarts, the schema is written).
    const restarting = async () => {
      const m = readMarker();
      return Boolean(m?.importerPid) && !(await isProcessAlive(m!.importerPid!));
    };
    for (const ready of [importing, restarting]) {
      const child = startCli(args, env);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      let done = false;
      void exited.then(() => (done = true));
      while (!done && !(await ready())) await new Promise((r) => setTimeout(r, 20));
      if (done) throw new Error(`the ingest ended before the kill point ${ready.name}: ${stderr}`);
      child.kill('SIGKILL');
      await exited;
      expect(existsSync(marker)).toBe(true);
      // Any command's start of the server puts the old store back first.
      expect((await runCli(['neo4j', 'start'], env)).code).toBe(0);
      expect(existsSync(marker)).toBe(false);
      const client = await connect();
      try {
        expect(await countNodes(client)).toBe(0);
      } finally {
        await client.close();
      }
    }
    const rerun = await runCli(args, env);
    expect(rerun.code).toBe(0);
    expect(lastJsonLine(rerun.stdout).writePath).toMatchObject({ bulk: true });
    const client = await connect();
    try {
      expect(await datasetDigest(client, 'bulk')).toEqual(expected);
    } finally {
      await client.close();
    }
  });
});
