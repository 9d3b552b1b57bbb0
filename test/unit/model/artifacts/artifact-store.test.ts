import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ArtifactStore, childPath, type NewArtifact } from '../../../../libs/model/src/artifacts';
import { tempDir } from '../../../helpers/temp-dir';

const ARTIFACT: NewArtifact = {
  model: 'ultragcn-features',
  config: { lr: 0.001 },
  dataset: { name: 'd', fingerprint: 'abc', numUsers: 2, numItems: 3, features: [{ modality: 'visual', width: 4 }] },
  backend: 'cpu',
  metrics: { bestEpoch: 3, valid: { 'ndcg@20': 0.1 }, test: { 'recall@20': 0.2 }, protocol: 'standard' },
  curve: [{ epoch: 1, loss: 0.5 }],
  trainingSeconds: 1.5,
};

const weights = () =>
  new Map([
    ['user', Float32Array.from([1, 2, 3, 4])],
    ['item', Float32Array.from([0.5, -1.5, 2.25, 1e-7, 3, 6])],
  ]);

describe('ArtifactStore', () => {
  const tmp = tempDir('artifacts');
  afterAll(() => tmp.remove());
  let n = 0;
  const store = () => new ArtifactStore(path.join(tmp.dir, `store${n++}`));

  it('saves numbered versions and loads back the exact weights, shapes and manifest', async () => {
    const s = store();
    const first = await s.save(ARTIFACT, weights(), new Map([['user', [2, 2]], ['item', [3, 2]]]));
    const second = await s.save(ARTIFACT, weights());
    expect([first.version, second.version]).toEqual(['v0001', 'v0002']);
    expect(first.weights.map((w) => [w.name, w.shape])).toEqual([['user', [2, 2]], ['item', [3, 2]]]);
    const loaded = await s.load('v0001');
    expect(Array.from(loaded.weights.get('item')!)).toEqual(Array.from(weights().get('item')!));
    expect(loaded.manifest).toMatchObject({ model: 'ultragcn-features', metrics: { test: { 'recall@20': 0.2 } } });
    expect((await s.list()).map((m) => m.version)).toEqual(['v0001', 'v0002']);
  });

  it('makes a version current only after it loads, and loads the current one by default', async () => {
    const s = store();
    expect(await s.current()).toBeNull();
    await expect(s.load()).rejects.toThrow(/no current model version/);
    const v = await s.save(ARTIFACT, weights());
    await s.setCurrent(v.version);
    expect(await s.current()).toBe('v0001');
    expect((await s.load()).manifest.version).toBe('v0001');
  });

  it('refuses a version whose weights were changed, naming the file and keeping the current pointer', async () => {
    const s = store();
    const good = await s.save(ARTIFACT, weights());
    await s.setCurrent(good.version);
    const bad = await s.save(ARTIFACT, weights());
    const file = path.join(s.root, 'versions', bad.version, bad.weights[1].file);
    const bytes = await fs.readFile(file);
    bytes[5] ^= 0x40;
    await fs.writeFile(file, bytes);
    await expect(s.setCurrent(bad.version)).rejects.toThrow(/model v0002 is corrupt: item\.f32 has sha256 .* the manifest says/);
    expect(await s.current()).toBe('v0001');
  });

  it('refuses a truncated weights file and a missing manifest with what was expected', async () => {
    const s = store();
    const v = await s.save(ARTIFACT, weights());
    const file = path.join(s.root, 'versions', v.version, v.weights[0].file);
    await fs.truncate(file, 10);
    await expect(s.load(v.version)).rejects.toThrow(/user\.f32 has 10 bytes, expected 16 \(4 float32 values, shape \[4\]\)/);
    await expect(s.load('v0009')).rejects.toThrow(/model version v0009 does not exist .*expected one of v0001/);
    await expect(s.load('../etc')).rejects.toThrow(/model version "\.\.\/etc" is not valid/);
  });

  it('ignores what a crashed save left behind and numbers past it', async () => {
    const s = store();
    await fs.mkdir(path.join(s.root, 'versions', '.tmp-123-dead'), { recursive: true });
    const v = await s.save(ARTIFACT, weights());
    expect(v.version).toBe('v0001');
    expect((await s.list()).map((m) => m.version)).toEqual(['v0001']);
  });

  it('refuses a shape that does not hold the values', async () => {
    await expect(store().save(ARTIFACT, weights(), new Map([['user', [3, 2]]]))).rejects.toThrow(/shape \[3,2\] does not hold 4 values/);
  });

  it('builds a store path only from a name that stays directly inside its folder', () => {
    expect(childPath('/srv/models', 'tiktok')).toBe(path.resolve('/srv/models/tiktok'));
    expect(ArtifactStore.inside('/srv/models', 'a.b-c_d').root).toBe(path.resolve('/srv/models/a.b-c_d'));
    for (const bad of ['', '.', '..', '../etc', 'a/b', 'a/', '/etc', 'a\u0000b', `..${path.sep}x`]) {
      expect(() => childPath('/srv/models', bad)).toThrow(/is not a plain folder name/);
    }
  });
});
