// Loads an MMRec folder straight from its files into @eior/model's input shape, for benchmarks that measure
// the model alone (the product trains from the graph's export, which has the same shape).
import { prepareDataset } from '@eior/graph';
import type { RecDataset } from '@eior/model';

export async function loadRecDataset(dir: string): Promise<RecDataset> {
  const data = await prepareDataset('bench', dir);
  const { rows } = data;
  const splits = [0, 1, 2].map((s) => {
    const idx: number[] = [];
    for (let r = 0; r < rows.count; r++) if (rows.splits[r] === s) idx.push(r);
    return { users: Int32Array.from(idx, (r) => rows.users[r]), items: Int32Array.from(idx, (r) => rows.items[r]) };
  });
  return {
    numUsers: data.userIds.length,
    numItems: data.itemIds.length,
    train: splits[0],
    valid: splits[1],
    test: splits[2],
    features: data.modalities
      .slice()
      .sort((a, b) => a.modality.localeCompare(b.modality))
      .map((m) => ({ modality: m.modality, width: m.width, data: Float32Array.from(m.data) })),
  };
}
