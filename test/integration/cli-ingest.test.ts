// The ingest and stats commands as a person runs them: exit codes, messages, and the --json contract.
import { dropDataset, type GraphClient } from '../../libs/graph/src';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { writeTinyDataset } from '../helpers/tiny-dataset';

const NAME = `cli-${process.pid}`;

describe('eior ingest and eior stats', () => {
  let client: GraphClient;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, NAME);
  });
  afterAll(async () => {
    await dropDataset(client, NAME);
    cleanups.forEach((c) => c());
    await client.close();
  });

  it('ingests a folder and reports its figures as JSON on the last line of stdout', async () => {
    const data = await writeTinyDataset({ users: 40, items: 25, perUser: 6, seed: 5 });
    cleanups.push(data.remove);
    const run = await runCli(['ingest', '--dataset', NAME, '--dir', data.dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const figures = lastJsonLine(run.stdout);
    expect(figures).toMatchObject({ dataset: NAME, outcome: 'ingested', users: 40, items: 25, interactions: { train: 160, valid: 40, test: 40, total: 240 } });
    expect(figures.peakRssMb).toEqual(expect.any(Number));

    const stats = await runCli(['stats', '--dataset', NAME, '--json']);
    expect(stats.code).toBe(0);
    expect(lastJsonLine(stats.stdout)).toEqual({
      dataset: NAME,
      users: 40,
      items: 25,
      interactions: { train: 160, valid: 40, test: 40, total: 240 },
      events: 240,
      repeats: 0,
      repeatPolicy: 'first',
      split: { made: 'input' },
      modalities: [{ name: 'visual', width: 4, dtype: 'float32', items: 25, absent: 0 }],
    });
  });

  it('exits non-zero with the file, line and reason for a malformed file, writing nothing', async () => {
    const tmp = tempDir('cli-bad');
    cleanups.push(tmp.remove);
    tmp.write('broken.inter', 'userID\titemID\trating\ttimestamp\tx_label\n1\t2\t0\t0\t0\n1\t3\t0\t0\tfive\n');
    const run = await runCli(['ingest', '--dataset', `${NAME}-broken`, '--dir', tmp.dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.inter, line 3: x_label 'five' is not a number/);
    const stats = await runCli(['stats', '--dataset', `${NAME}-broken`]);
    expect(stats.code).toBe(2);
    expect(stats.stderr).toMatch(new RegExp(`dataset '${NAME}-broken' is not in the graph`));
  });

  it('refuses a bad dataset name and a bad batch size before touching the graph', async () => {
    const name = await runCli(['ingest', '--dataset', 'no spaces!', '--dir', '.']);
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/dataset name "no spaces!" is not valid/);
    const batch = await runCli(['ingest', '--dataset', NAME, '--dir', '.', '--batch-size', '0']);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/--batch-size "0" is not valid: expected an integer from 1 to 100000/);
  });
});
