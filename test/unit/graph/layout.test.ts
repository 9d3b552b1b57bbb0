import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { locateDataset, modalityOf } from '../../../libs/graph/src/ingest/layout';
import { prepareDataset } from '../../../libs/graph/src/ingest/prepare';
import { generateDataset } from '../../../libs/graph/src/mmrec/generate';
import { tempDir } from '../../helpers/temp-dir';

describe('the MMRec folder layout', () => {
  const tmp = tempDir('layout');
  afterAll(() => tmp.remove());

  it("maps MMRec's names to visual, acoustic and textual and takes any other valid name as it is", () => {
    expect(['image', 'v', 'audio', 'a', 'text', 't', 'textual'].map(modalityOf)).toEqual(['visual', 'visual', 'acoustic', 'acoustic', 'textual', 'textual', 'textual']);
    expect(['clip', 'clip_vit-b32', 'Lyrics2'].map(modalityOf)).toEqual(['clip', 'clip_vit-b32', 'Lyrics2']);
    expect(['', '9x', '_x', 'a b', 'x'.repeat(33), 'é'].map(modalityOf)).toEqual([null, null, null, null, null, null]);
  });

  it('finds <name>_feat.npy of any valid name, and refuses an invalid name or two files of one modality', async () => {
    const dir = path.join(tmp.dir, 'names');
    await generateDataset(dir, { users: 100, items: 100, interactions: 1000, seed: 1 });
    renameSync(path.join(dir, 'image_feat.npy'), path.join(dir, 'clip_feat.npy'));
    const layout = await locateDataset(dir);
    expect(layout.features.map((f) => [f.modality, path.basename(f.file)])).toEqual([['acoustic', 'audio_feat.npy'], ['clip', 'clip_feat.npy']]);
    // the folder reads into the same prepared shape, the new modality by its name
    const prepared = await prepareDataset('names', dir);
    expect(prepared.modalities.map((m) => m.modality)).toContain('clip');
    expect(prepared.modalities.find((m) => m.modality === 'clip')!.data.length).toBe(prepared.itemIds.length * prepared.modalities.find((m) => m.modality === 'clip')!.width);

    writeFileSync(path.join(dir, '9x_feat.npy'), '');
    await expect(locateDataset(dir)).rejects.toThrow(/9x_feat\.npy: modality name '9x' is not valid: expected a letter, then up to 31 letters, digits, _ or -/);
    renameSync(path.join(dir, '9x_feat.npy'), path.join(dir, 'visual_feat.npy'));
    renameSync(path.join(dir, 'clip_feat.npy'), path.join(dir, 'v_feat.npy'));
    await expect(locateDataset(dir)).rejects.toThrow(/v_feat\.npy and visual_feat\.npy both give the visual modality/);
  });
});
