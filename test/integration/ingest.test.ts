import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  GraphClient,
  datasetStats,
  dropDataset,
  exportTrainingData,
  ingestDataset,
  readItemFeatures,
} from '../../libs/graph/src';
import { readNpyMatrix } from '../../libs/graph/src/mmrec/npy';
import { datasetDigest, testGraph } from '../helpers/graph';
import { TIKTOK_DIR, tempDir } from '../helpers/temp-dir';
import { writeTinyDataset } from '../helpers/tiny-dataset';

const TIKTOK = `tiktok-it-${process.pid}`;
const HAS_TIKTOK = existsSync(TIKTOK_DIR);
if (!HAS_TIKTOK) console.warn(`skipping the TikTok ingest tests: no benchmark at ${TIKTOK_DIR} (set EIOR_TIKTOK_DIR)`);

(HAS_TIKTOK ? describe : describe.skip)('ingest and export of the TikTok benchmark', () => {
  let client: GraphClient;

  beforeAll(async () => {
    client = await testGraph();
    await dropDataset(client, TIKTOK);
  });
  afterAll(async () => {
    await dropDataset(client, TIKTOK);
    await client.close();
  });

  it('ingests the files and exports exactly their users, items, splits and feature values', async () => {
    const result = await ingestDataset(client, { dataset: TIKTOK, dir: TIKTOK_DIR });
    expect(result.outcome).toBe('ingested');
    expect(result.users).toBe(9308);
    expect(result.items).toBe(6710);
    expect(result.interactions).toEqual({ train: 59541, valid: 3051, test: 6130, total: 68722 });

    const stats = await datasetStats(client, TIKTOK);
    expect(stats.users).toBe(9308);
    expect(stats.items).toBe(6710);
    expect(stats.interactions).toEqual({ train: 59541, valid: 3051, test: 6130, total: 68722 });
    expect(stats.modalities).toEqual([
      { name: 'acoustic', width: 128, dtype: 'float16', items: 6710, absent: 0 },
      { name: 'visual', width: 128, dtype: 'float16', items: 6710, absent: 0 },
    ]);

    const exported = await exportTrainingData(client, TIKTOK);
    expect(exported.numUsers).toBe(9308);
    expect(exported.numItems).toBe(6710);
    expect(exported.train.users.length).toBe(59541);
    expect(exported.valid.users.length).toBe(3051);
    expect(exported.test.users.length).toBe(6130);
    // MMRec ids are 0..n-1: they keep their value as dense indexes.
    expect(exported.userIds.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(exported.itemIds[6709]).toBe('6709');

    // Every edge of the file, per split, and nothing else.
    const fromFile = { train: new Set<string>(), valid: new Set<string>(), test: new Set<string>() };
    const lines = readFileSync(path.join(TIKTOK_DIR, 'tiktok.inter'), 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [u, i, , , x] = line.split('\t');
      fromFile[(['train', 'valid', 'test'] as const)[Number(x)]].add(`${u},${i}`);
    }
    for (const split of ['train', 'valid', 'test'] as const) {
      const edges = exported[split];
      const got = new Set<string>();
      for (let k = 0; k < edges.users.length; k++) got.add(`${exported.userIds[edges.users[k]]},${exported.itemIds[edges.items[k]]}`);
      expect(got).toEqual(fromFile[split]);
    }

    // Every feature value equal to the file's.
    for (const [modality, file] of [['visual', 'image_feat.npy'], ['acoustic', 'audio_feat.npy']]) {
      const npy = await readNpyMatrix(path.join(TIKTOK_DIR, file));
      const matrix = exported.features.find((f) => f.modality === modality)!;
      expect(matrix.width).toBe(128);
      expect(matrix.data.length).toBe(npy.data.length);
      let mismatches = 0;
      for (let k = 0; k < npy.data.length; k++) if (matrix.data[k] !== npy.data[k]) mismatches++;
      expect(mismatches).toBe(0);
    }

    // One query fetches one item's features.
    const item = await readItemFeatures(client, TIKTOK, '42');
    const visual = await readNpyMatrix(path.join(TIKTOK_DIR, 'image_feat.npy'));
    expect(item.map((f) => f.modality)).toEqual(['acoustic', 'visual']);
    expect(Array.from(item[1].values)).toEqual(Array.from(visual.data.subarray(42 * 128, 43 * 128)));
  });

  it('changes no count and no property when run again, even when it has to redo every write', async () => {
    const before = await datasetDigest(client, TIKTOK);
    const again = await ingestDataset(client, { dataset: TIKTOK, dir: TIKTOK_DIR });
    expect(again.outcome).toBe('unchanged');
    // Pretend the first run died before it finished: the whole write path runs again over the data.
    await client.write((tx) => tx.run("MATCH (d:Dataset {name: $name}) SET d.status = 'ingesting'", { name: TIKTOK }));
    const resumed = await ingestDataset(client, { dataset: TIKTOK, dir: TIKTOK_DIR });
    expect(resumed.outcome).toBe('resumed');
    const after = await datasetDigest(client, TIKTOK);
    expect(after).toEqual(before);
    expect(before.nodes).toBe(9308 + 6710 + 2);
    expect(before.relationships).toBe(68722 + 2 * 6710);
  });
});

describe('ingest of several datasets and of bad input', () => {
  let client: GraphClient;
  const names = [`side-a-${process.pid}`, `side-b-${process.pid}`, `bad-${process.pid}`, `race-${process.pid}`, `lease-${process.pid}`];
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    client = await testGraph();
    for (const n of names) await dropDataset(client, n);
  });
  afterAll(async () => {
    for (const n of names) await dropDataset(client, n);
    cleanups.forEach((c) => c());
    await client.close();
  });

  it('keeps datasets side by side without mixing, even with the same user and item ids', async () => {
    const a = await writeTinyDataset({ users: 30, items: 20, perUser: 5, seed: 1 });
    const b = await writeTinyDataset({ users: 12, items: 9, perUser: 4, seed: 2 });
    cleanups.push(a.remove, b.remove);
    await ingestDataset(client, { dataset: names[0], dir: a.dir, batchSize: 7 });
    await ingestDataset(client, { dataset: names[1], dir: b.dir });
    const sa = await datasetStats(client, names[0]);
    const sb = await datasetStats(client, names[1]);
    expect([sa.users, sa.items, sa.interactions.total]).toEqual([30, 20, 150]);
    expect([sb.users, sb.items, sb.interactions.total]).toEqual([12, 9, 48]);
    expect(sa.interactions).toEqual({ train: 90, valid: 30, test: 30, total: 150 });
    const ea = await exportTrainingData(client, names[0]);
    expect(ea.userIds).toHaveLength(30);
    expect(ea.features[0].data).toHaveLength(20 * 4);
    expect(ea.trainTimestamps).toHaveLength(90);
  });

  it('duplicates nothing when two runs ingest the same new dataset at once', async () => {
    const data = await writeTinyDataset({ users: 200, items: 60, perUser: 8, seed: 9 });
    cleanups.push(data.remove);
    const runs = await Promise.allSettled([
      ingestDataset(client, { dataset: names[3], dir: data.dir, batchSize: 100 }),
      ingestDataset(client, { dataset: names[3], dir: data.dir, batchSize: 100 }),
    ]);
    for (const r of runs) {
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(/is being ingested by another run/);
    }
    expect(runs.some((r) => r.status === 'fulfilled')).toBe(true);
    await ingestDataset(client, { dataset: names[3], dir: data.dir });
    const stats = await datasetStats(client, names[3]);
    expect([stats.users, stats.items, stats.interactions.total]).toEqual([200, 60, 1600]);
    const digest = await datasetDigest(client, names[3]);
    expect(digest.relationships).toBe(1600 + 60);
  });

  it('resumes an unfinished dataset only once the run that owns it is gone', async () => {
    const data = await writeTinyDataset({ users: 40, items: 20, perUser: 5, seed: 4 });
    cleanups.push(data.remove);
    await ingestDataset(client, { dataset: names[4], dir: data.dir });
    const before = await datasetDigest(client, names[4]);
    // the dataset is marked unfinished and owned by a live process on this host (a sleeping child)
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const markOwned = (pid: number) =>
      client.write((tx) =>
        tx.run("MATCH (d:Dataset {name: $name}) SET d.status = 'ingesting', d.ownerId = 'other-run', d.ownerHost = $host, d.ownerPid = $pid, d.heartbeatAt = datetime()", {
          name: names[4],
          host: hostname(),
          pid,
        }),
      );
    try {
      await markOwned(owner.pid!);
      await expect(ingestDataset(client, { dataset: names[4], dir: data.dir })).rejects.toThrow(/is being ingested by another run/);
    } finally {
      owner.kill('SIGKILL');
      await new Promise((resolve) => owner.once('exit', resolve));
    }
    const resumed = await ingestDataset(client, { dataset: names[4], dir: data.dir });
    expect(resumed.outcome).toBe('resumed');
    expect(await datasetDigest(client, names[4])).toEqual(before);
  });

  it('refuses different files under a taken name unless asked to replace them', async () => {
    const c = await writeTinyDataset({ users: 5, items: 6, perUser: 3, seed: 3 });
    cleanups.push(c.remove);
    const before = await datasetDigest(client, names[1]);
    await expect(ingestDataset(client, { dataset: names[1], dir: c.dir })).rejects.toThrow(
      new RegExp(`dataset '${names[1]}' already holds data from other files.*--replace`),
    );
    expect(await datasetDigest(client, names[1])).toEqual(before);
    const replaced = await ingestDataset(client, { dataset: names[1], dir: c.dir, replace: true });
    expect(replaced.outcome).toBe('replaced');
    expect((await datasetStats(client, names[1])).users).toBe(5);
  });

  it('writes nothing of a dataset whose feature file has the wrong number of rows', async () => {
    const d = await writeTinyDataset({ users: 5, items: 6, perUser: 3, seed: 4 });
    cleanups.push(d.remove);
    const tmp = tempDir('bad');
    cleanups.push(tmp.remove);
    tmp.write('bad.inter', readFileSync(path.join(d.dir, 'tiny.inter')));
    const { writeNpyMatrix } = await import('../../libs/graph/src/mmrec/npy');
    await writeNpyMatrix(path.join(tmp.dir, 'audio_feat.npy'), { rows: 5, cols: 2, dtype: 'float32', data: new Float32Array(10) });
    await expect(ingestDataset(client, { dataset: names[2], dir: tmp.dir })).rejects.toThrow(
      /audio_feat\.npy: 5 rows, but bad\.inter names 6 items: expected one row per item/,
    );
    const left = await client.read(async (tx) =>
      (await tx.run('MATCH (n) WHERE n.dataset = $d OR n.name = $d RETURN count(n) AS n', { d: names[2] })).records[0].get('n'),
    );
    expect(left).toBe(0);
  });
});
