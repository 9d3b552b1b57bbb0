// Small MMRec folders written by tests: an .inter file and float32 feature files.
import { writeNpyMatrix } from '../../libs/graph/src/mmrec/npy';
import { tempDir } from './temp-dir';

export interface TinyDatasetOptions {
  users: number;
  items: number;
  perUser: number;
  width?: number;
  seed?: number;
}

/**
 * users x perUser distinct interactions covering every item when users x perUser >= items (last one test,
 * one before valid), one 'image' modality with seeded values.
 */
export async function writeTinyDataset(options: TinyDatasetOptions): Promise<{ dir: string; remove: () => void; interactions: number }> {
  const { users, items, perUser, width = 4 } = options;
  let state = options.seed ?? 1;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const tmp = tempDir('tiny');
  const lines = ['userID\titemID\trating\ttimestamp\tx_label'];
  for (let u = 0; u < users; u++) {
    for (let k = 0; k < perUser; k++) {
      const split = k === perUser - 1 ? 2 : k === perUser - 2 ? 1 : 0;
      lines.push(`user${u}\t${(u * perUser + k) % items}\t1\t${1_600_000_000 + u * 100 + k}\t${split}`);
    }
  }
  tmp.write('tiny.inter', `${lines.join('\n')}\n`);
  const data = new Float32Array(items * width).map(() => Math.round(next() * 1000) / 1000);
  await writeNpyMatrix(`${tmp.dir}/image_feat.npy`, { rows: items, cols: width, dtype: 'float32', data });
  return { dir: tmp.dir, remove: tmp.remove, interactions: users * perUser };
}
