import { existsSync } from 'node:fs';
import path from 'node:path';
import { ZOO, ZOO_LATENT, makeZooDataset } from '../../../bench/lib/zoo-datasets';
import { tempDir } from '../../helpers/temp-dir';

describe('the zoo of generated shapes', () => {
  const tmp = tempDir('zoo');
  afterAll(() => tmp.remove());

  it('gives every shape users with latent factors beyond the content, under its own settings', () => {
    expect(ZOO.length).toBeGreaterThanOrEqual(7);
    for (const z of ZOO) expect(z.generate).toMatchObject(ZOO_LATENT);
    expect(ZOO.find((z) => z.name === 'zoo-flat-popularity')!.generate).toMatchObject({ popularityExponent: 0.3, tasteStrength: 3 });
  });

  it('keeps a folder made with the same settings and refuses one made with others, naming the setting', async () => {
    const small = { ...ZOO[0], generate: { ...ZOO[0].generate, users: 300, items: 200, interactions: 4000 } };
    const dir = path.join(tmp.dir, small.name);
    await makeZooDataset(small, dir, 1);
    expect(existsSync(path.join(dir, `${small.name}.inter`))).toBe(true);
    await expect(makeZooDataset(small, dir, 1)).resolves.toBeUndefined();
    const before = { ...small, generate: { ...small.generate, latentStrength: 0 } };
    await expect(makeZooDataset(before, dir, 1)).rejects.toThrow(`holds ${small.name} generated with other settings (latentStrength 6 instead of 0)`);
    await expect(makeZooDataset(small, dir, 2)).rejects.toThrow('seed 1 instead of 2');
  });
});
