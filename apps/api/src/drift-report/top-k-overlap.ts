// Top-K overlap between the served model version and the version before it: for a fixed sample of users, the
// share of the new top-K (training items excluded) that the previous version also ranked in its top-K, averaged.
// Threshold [ours]: below 0.5 counts as drifted (most of what users see changed between versions).
import { ArtifactStore, restoreModel, topKIndices } from '@eior/model';
import type { ServingModel } from '../serving/serving-model';
import type { DriftComparisonRecord } from './compare';
import { slicer } from '../yield';

export const OVERLAP_K = 20;
export const OVERLAP_USERS = 200;
export const OVERLAP_THRESHOLD = 0.5;

export async function topKOverlap(model: ServingModel, modelsDir: string): Promise<DriftComparisonRecord | null> {
  const store = ArtifactStore.inside(modelsDir, model.dataset);
  const older = (await store.list()).filter((m) => m.version < model.version);
  const previous = older[older.length - 1];
  if (!previous || previous.dataset.fingerprint !== model.manifest.dataset.fingerprint) return null;
  const { manifest, weights } = await store.load(previous.version);
  const before = restoreModel(manifest.model, manifest.config, weights, model.data);
  try {
    const users: number[] = [];
    const stride = Math.max(1, Math.floor(model.numUsers / OVERLAP_USERS));
    for (let u = 0; u < model.numUsers && users.length < OVERLAP_USERS; u += stride) users.push(u);
    let total = 0;
    const step = slicer();
    for (const u of users) {
      // one user at a time, giving way to requests between users
      const now = model.scoreAll(Int32Array.of(u));
      const then = before.model.scoreAllItems(Int32Array.of(u));
      const seen = new Set(model.trainItemsOf(u));
      const a = top(now, seen);
      const b = new Set(top(then, seen));
      total += a.filter((i) => b.has(i)).length / Math.max(1, a.length);
      await step();
    }
    const overlap = total / users.length;
    const drifted = overlap < OVERLAP_THRESHOLD;
    return {
      kind: 'model-version',
      name: `top-${OVERLAP_K} of ${model.version} vs ${previous.version}`,
      reference: `model ${previous.version} (${previous.model})`,
      current: `model ${model.version} (${model.kind})`,
      referenceSize: users.length,
      currentSize: users.length,
      driftedShare: drifted ? 1 : 0,
      drifted,
      values: [{
        subject: 'top-k-overlap', modality: null, detail: `k=${OVERLAP_K}`, method: 'mean-overlap', value: overlap, threshold: OVERLAP_THRESHOLD,
        drifted, referenceSize: users.length, currentSize: users.length, psi: null, psiBand: null,
      }],
      columns: [],
    };
  } finally {
    before.model.dispose();
  }
}

/** The top-K items not in `seen`, best first (ties: lower index first). */
function top(scores: Float32Array, seen: ReadonlySet<number>): number[] {
  for (const i of seen) scores[i] = -Infinity;
  const finite = scores.reduce((n, s) => n + (Number.isFinite(s) ? 1 : 0), 0);
  return Array.from(topKIndices(scores, 0, scores.length, Math.min(OVERLAP_K, finite)));
}
