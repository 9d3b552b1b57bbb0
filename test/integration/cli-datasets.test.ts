// `eior datasets list` and `eior datasets delete`: the list, the --yes guard, the refusal while an API serves,
// and a delete that leaves nothing of the dataset (and every other dataset as it was).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dropDataset, type GraphClient } from '../../libs/graph/src';
import { lastJsonLine, runCli } from '../helpers/cli';
import { datasetDigest, testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { writeTinyDataset } from '../helpers/tiny-dataset';

const NAME = `datasets-${process.pid}`;
const OTHER = `datasets-other-${process.pid}`;

describe('eior datasets', () => {
  let client: GraphClient;
  const home = tempDir('datasets-home');
  const env = { ...process.env, EIOR_HOME: home.dir, EIOR_BI_POSTGRES_URL: '' };
  const cleanups: (() => void)[] = [home.remove];

  beforeAll(async () => {
    client = await testGraph();
    for (const n of [NAME, OTHER]) await dropDataset(client, n);
  });
  afterAll(async () => {
    for (const n of [NAME, OTHER]) await dropDataset(client, n);
    cleanups.forEach((c) => c());
    await client.close();
  });

  it('lists datasets, asks for --yes, refuses while an API serves, then deletes one dataset only', async () => {
    const data = await writeTinyDataset({ users: 30, items: 20, perUser: 5, seed: 3 });
    cleanups.push(data.remove);
    for (const n of [NAME, OTHER]) expect((await runCli(['ingest', '--dataset', n, '--dir', data.dir], env)).code).toBe(0);
    const other = await datasetDigest(client, OTHER);
    mkdirSync(path.join(home.dir, 'models', NAME), { recursive: true });

    const list = lastJsonLine((await runCli(['datasets', 'list', '--json'], env)).stdout) as { datasets: { name: string; users: number }[] };
    expect(list.datasets.find((d) => d.name === NAME)).toMatchObject({ name: NAME, users: 30, status: 'complete' });

    const unasked = await runCli(['datasets', 'delete', NAME], env);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(new RegExp(`deleting dataset '${NAME}' removes 30 users, 20 items and 150 interactions.*pass --yes`));

    // this test process stands for a running `eior serve`
    mkdirSync(path.join(home.dir, 'serving'), { recursive: true });
    writeFileSync(path.join(home.dir, 'serving', `${process.pid}.json`), JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:1/graphql', startedAt: '' }));
    const served = await runCli(['datasets', 'delete', NAME, '--yes'], env);
    expect(served.code).toBe(2);
    expect(served.stderr).toMatch(new RegExp(`an API is serving this machine's datasets \\(pid ${process.pid} at http://127.0.0.1:1/graphql\\): stop it first, or pass --even-if-served`));

    const deleted = await runCli(['datasets', 'delete', NAME, '--yes', '--even-if-served', '--json'], env);
    expect(deleted.code).toBe(0);
    expect(lastJsonLine(deleted.stdout)).toEqual({ dataset: NAME, deleted: true, users: 30, items: 20, interactions: 150 });
    expect(await datasetDigest(client, NAME)).toEqual({ digest: expect.any(String), nodes: 0, relationships: 0 });
    expect(await datasetDigest(client, OTHER)).toEqual(other);
    expect(existsSync(path.join(home.dir, 'models', NAME))).toBe(false);
    const again = lastJsonLine((await runCli(['datasets', 'list', '--json'], env)).stdout) as { datasets: { name: string }[] };
    expect(again.datasets.map((d) => d.name)).not.toContain(NAME);
    const gone = await runCli(['datasets', 'delete', NAME, '--yes', '--even-if-served'], env);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(new RegExp(`dataset '${NAME}' is not in the graph`));
  });
});
