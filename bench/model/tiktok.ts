// The TikTok benchmark (MMRec layout, ../shared/data/tiktok beside the checkout) as @eior/model's RecDataset,
// read from its files with the same reader and in the same shape as the graph export the product trains on.
import * as path from 'node:path';
import type { RecDataset } from '@eior/model';
import { exportFromFiles } from '../../libs/graph/src/export/file-export';

/** npm scripts run at the checkout's root; ../shared sits beside it. */
export const DEFAULT_TIKTOK_DIR = path.resolve('..', 'shared', 'data', 'tiktok');

export async function loadTikTok(dir: string = DEFAULT_TIKTOK_DIR): Promise<RecDataset> {
  return exportFromFiles(dir, 'tiktok');
}
