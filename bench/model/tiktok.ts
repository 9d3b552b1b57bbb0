// Loads the TikTok benchmark (/work/shared/data/tiktok, MMRec layout) into @eior/model's RecDataset for the benches.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EdgeList, RecDataset } from '@eior/model';
import { readNpyMatrix } from '../../libs/graph/src/mmrec/npy';

export const DEFAULT_TIKTOK_DIR = '/work/shared/data/tiktok';

/** tiktok.inter: TSV `userID itemID rating timestamp x_label` with a header; x_label 0/1/2 = train/valid/test. */
export async function loadTikTok(dir: string = DEFAULT_TIKTOK_DIR): Promise<RecDataset> {
  const lines = readFileSync(path.join(dir, 'tiktok.inter'), 'utf8').split('\n');
  const header = lines[0].trim().split('\t');
  const col = (name: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new Error(`tiktok.inter: no column "${name}" in header ${header.join(',')}`);
    return k;
  };
  const [cu, ci, cx] = [col('userID'), col('itemID'), col('x_label')];
  const splits: number[][][] = [[[], []], [[], []], [[], []]];
  let numUsers = 0;
  for (let n = 1; n < lines.length; n++) {
    if (lines[n].trim() === '') continue;
    const f = lines[n].split('\t');
    const [u, i, x] = [Number(f[cu]), Number(f[ci]), Number(f[cx])];
    splits[x][0].push(u);
    splits[x][1].push(i);
    numUsers = Math.max(numUsers, u + 1);
  }
  const edgeList = (s: number[][]): EdgeList => ({ users: Int32Array.from(s[0]), items: Int32Array.from(s[1]) });
  const image = await readNpyMatrix(path.join(dir, 'image_feat.npy'));
  const audio = await readNpyMatrix(path.join(dir, 'audio_feat.npy'));
  return {
    numUsers,
    numItems: image.rows,
    train: edgeList(splits[0]),
    valid: edgeList(splits[1]),
    test: edgeList(splits[2]),
    features: [
      { modality: 'image', width: image.cols, data: Float32Array.from(image.data) },
      { modality: 'audio', width: audio.cols, data: Float32Array.from(audio.data) },
    ],
  };
}
