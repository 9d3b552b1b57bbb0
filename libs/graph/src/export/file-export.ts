// The training arrays of an MMRec folder read straight from its files, in the same shape as the export from
// Neo4j: for benchmarks and tests that measure the model alone. The product trains from the graph.
import { prepareDataset } from '../ingest/prepare';
import type { EdgeList, TrainingExport } from './training-export';

export async function exportFromFiles(dir: string, dataset = 'files'): Promise<TrainingExport> {
  const data = await prepareDataset(dataset, dir);
  const { rows } = data;
  const edges: EdgeList[] = [0, 1, 2].map((split) => {
    const picked: number[] = [];
    for (let r = 0; r < rows.count; r++) if (rows.splits[r] === split) picked.push(r);
    return { users: Int32Array.from(picked, (r) => rows.users[r]), items: Int32Array.from(picked, (r) => rows.items[r]) };
  });
  return {
    dataset,
    fingerprint: data.fingerprint,
    cutoff: { events: data.events.count, appends: 0, earlierFingerprints: [] },
    numUsers: data.userIds.length,
    numItems: data.itemIds.length,
    train: edges[0],
    valid: edges[1],
    test: edges[2],
    // In the graph export's order (by modality name), as float32.
    features: data.modalities
      .slice()
      .sort((a, b) => a.modality.localeCompare(b.modality))
      .map((m) => ({ modality: m.modality, width: m.width, data: Float32Array.from(m.data) })),
    userIds: data.userIds,
    itemIds: data.itemIds,
    trainTimestamps: trainTimestamps(rows.timestamps, rows.splits, rows.count),
  };
}

/** The train rows' timestamps, as the graph export gives them: undefined when none is set (absent, or all 0). */
function trainTimestamps(timestamps: Float64Array | undefined, splits: ArrayLike<number>, count: number): Float64Array | undefined {
  if (!timestamps) return undefined;
  const out: number[] = [];
  let any = false;
  for (let r = 0; r < count; r++) {
    if (splits[r] !== 0) continue;
    const t = timestamps[r];
    out.push(t);
    any ||= Number.isFinite(t) && t !== 0;
  }
  return any ? Float64Array.from(out) : undefined;
}
