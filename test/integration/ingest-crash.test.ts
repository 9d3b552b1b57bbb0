// A run killed with SIGKILL at any point and started again ends with exactly the right graph.
import { GraphClient, dropDataset, ingestDataset } from '../../libs/graph/src';
import { startCli } from '../helpers/cli';
import { datasetDigest, testGraph } from '../helpers/graph';
import { writeTinyDataset } from '../helpers/tiny-dataset';

const CLEAN = `crash-clean-${process.pid}`;
const KILLED = `crash-killed-${process.pid}`;

async function countWhere(client: GraphClient, cypher: string, dataset: string): Promise<number> {
  return client.read(async (tx) => (await tx.run(cypher, { dataset })).records[0].get('n') as number);
}

/** Starts the CLI ingest and kills it with SIGKILL as soon as `ready` holds; resolves once it is dead. */
async function killIngestWhen(dir: string, ready: () => Promise<boolean>): Promise<void> {
  const child = startCli(['ingest', '--dataset', KILLED, '--dir', dir, '--batch-size', '500']);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !(await ready())) await new Promise((r) => setTimeout(r, 20));
  if (done) throw new Error('the ingest finished before the kill point was reached: make the dataset bigger');
  child.kill('SIGKILL');
  await exited;
}

describe('ingest killed with SIGKILL', () => {
  let client: GraphClient;
  let data: Awaited<ReturnType<typeof writeTinyDataset>>;
  let expected: Awaited<ReturnType<typeof datasetDigest>>;

  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, CLEAN);
    await dropDataset(client, KILLED);
    data = await writeTinyDataset({ users: 6000, items: 3000, perUser: 10, width: 16, seed: 7 });
    await ingestDataset(client, { dataset: CLEAN, dir: data.dir });
    expected = await datasetDigest(client, CLEAN);
  });
  afterAll(async () => {
    await dropDataset(client, CLEAN);
    await dropDataset(client, KILLED);
    data.remove();
    await client.close();
  });

  it.each([
    ['while writing users', 'MATCH (u:User {dataset: $dataset}) RETURN count(u) AS n', 1],
    ['while writing feature vectors', 'MATCH (i:Item {dataset: $dataset})-[f:HAS_FEATURE]->() RETURN count(f) AS n', 1],
    ['while writing interactions', 'MATCH (:User {dataset: $dataset})-[x:INTERACTED]->() RETURN count(x) AS n', 5000],
  ])('ends with exactly the right graph after a kill %s and a second run', async (_when, cypher, threshold) => {
    await dropDataset(client, KILLED);
    await killIngestWhen(data.dir, async () => (await countWhere(client, cypher, KILLED)) >= threshold);
    const partial = await datasetDigest(client, KILLED);
    expect(partial.relationships).toBeLessThan(expected.relationships);

    const again = await ingestDataset(client, { dataset: KILLED, dir: data.dir });
    expect(again.outcome).toBe('resumed');
    expect(await datasetDigest(client, KILLED)).toEqual(expected);
  });
});
