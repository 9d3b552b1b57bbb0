// The probes' ERM backbones, cached on disk per planted shape, seed, backbone settings and epochs
// (bench/results/probe-cache), so that bench:mask and bench:stability compare invariance settings on the same
// backbones without retraining them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BackboneStage, UltraGcnConfig } from '@eior/model';

/** The backbone of `shape` and `seed` with the settings `backboneSet` (as given on the command line), fitted once. */
export async function probeBackbone(shape: string, seed: number, backboneSet: string, config: UltraGcnConfig, fit: () => Promise<BackboneStage>): Promise<BackboneStage> {
  const key = `${shape}-s${seed}-${backboneSet.replace(/[^a-zA-Z0-9.=-]/g, '_')}-e${config.epochs}`;
  const file = path.resolve('bench', 'results', 'probe-cache', `${key}.json`);
  const saved = await fs.readFile(file, 'utf8').catch(() => null);
  if (saved) {
    const s = JSON.parse(saved) as { config: UltraGcnConfig; seconds: number; recall20: number; weights: Record<string, number[]> };
    const weights = new Map(Object.entries(s.weights).map(([k, v]) => [k, Float32Array.from(v)]));
    return { weights, config: s.config, seconds: s.seconds, result: { test: { atK: { 20: { recall: s.recall20 } } } } as unknown as BackboneStage['result'] };
  }
  const stage = await fit();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const weights = Object.fromEntries([...stage.weights].map(([k, v]) => [k, Array.from(v, (x) => Math.fround(x))]));
  await fs.writeFile(file, JSON.stringify({ config: stage.config, seconds: stage.seconds, recall20: stage.result.test.atK[20].recall, weights }));
  return stage;
}
