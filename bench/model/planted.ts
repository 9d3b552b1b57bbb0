// Planted (generated) data for the model benches: the dataset with the columns generate.ts planted invariant and
// spurious (truth.json), the figures that score a learned mask against them, and the named planted shapes on which
// the invariance bars of docs/method.md#3-invariant-part are checked.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Random, buildItemFeatures, type RecDataset } from '@eior/model';
import { exportFromFiles, generateDataset, modalityOf, type GeneratedTruth } from '../../libs/graph/src';
import { DEFAULT_TIKTOK_DIR } from './tiktok';

export interface Planted {
  /** Columns of x (after concatenating the modalities in export order) that were planted invariant. */
  invariantColumns: Set<number>;
  /** Columns that were planted spurious (their effect flips in the test period). */
  spuriousColumns: Set<number>;
}

export type LoadedData = RecDataset & { trainTimestamps?: Float64Array };

/**
 * The planted shapes the mask bar is checked on: the generator's defaults, other widths (three modalities, fewer
 * invariant and more spurious columns per modality), and a stronger shift with a pure-noise modality added (and
 * each of those two alone).
 */
export const PLANTED_SHAPES: Record<string, { generate: Record<string, number>; noiseModality: number }> = {
  default: { generate: {}, noiseModality: 0 },
  widths: { generate: { modalities: 3, invariantDims: 2, spuriousDims: 8 }, noiseModality: 0 },
  'shift-noise': { generate: { spuriousStrength: 4 }, noiseModality: 48 },
  // the two changes of shift-noise one at a time, to tell which of them the mask learner misses on
  shift: { generate: { spuriousStrength: 4 }, noiseModality: 0 },
  noise: { generate: {}, noiseModality: 48 },
};

/** The shapes a bench's `--shapes` value names (comma-separated; every planted shape when absent or empty), checked. */
export function shapesFlag(raw: string | undefined): string[] {
  const shapes = (raw || Object.keys(PLANTED_SHAPES).join(',')).split(',');
  for (const s of shapes) if (!(s in PLANTED_SHAPES)) throw new Error(`--shapes: "${s}" is not one of ${Object.keys(PLANTED_SHAPES).join(', ')}`);
  return shapes;
}

/** A textual block of N(0, 1) columns that no preference reads, appended to every item (seeded). */
export function withNoiseModality(data: LoadedData, width: number): LoadedData {
  if (width <= 0) return data;
  const rng = new Random(777);
  return { ...data, features: [...data.features, { modality: 'textual', width, data: rng.normalArray(data.numItems * width, 1) }] };
}

export async function loadData(spec: string, generate: Record<string, number>): Promise<{ name: string; data: LoadedData; planted: Planted | null }> {
  if (spec === 'tiktok') return { name: 'tiktok', data: await exportFromFiles(DEFAULT_TIKTOK_DIR, 'tiktok'), planted: null };
  let dir = spec;
  if (spec === 'generated') {
    const suffix = Object.entries(generate).map(([k, v]) => `-${k}-${v}`).join('');
    // a dataset name is at most 64 characters: a long list of settings is named by its hash
    const name = `generated-ablation${suffix}`.length <= 64 ? `generated-ablation${suffix}` : `generated-ablation-${createHash('sha256').update(suffix).digest('hex').slice(0, 12)}`;
    dir = path.resolve('bench', 'results', name);
    // the generator is seeded, so files already there are the same data (and two runs need not race to write them)
    const done = await fs.stat(path.join(dir, 'truth.json')).then(() => true, () => false);
    if (!done) await generateDataset(dir, { seed: 42, ...generate });
  }
  const data = await exportFromFiles(dir, path.basename(dir));
  const truth = await fs.readFile(path.join(dir, 'truth.json'), 'utf8').catch(() => null);
  const planted = truth ? plantedColumns(JSON.parse(truth) as GeneratedTruth, buildItemFeatures(data.numItems, data.features).blocks) : null;
  return { name: spec === 'tiktok' ? spec : path.basename(dir), data, planted };
}

/** The planted columns of truth.json as columns of x, the modalities' blocks side by side in export order. */
export function plantedColumns(truth: Pick<GeneratedTruth, 'modalities'>, blocks: readonly { modality: string; offset: number }[]): Planted {
  const invariantColumns = new Set<number>();
  const spuriousColumns = new Set<number>();
  for (const m of truth.modalities) {
    // the export names a modality after its file's MMRec role (image_feat.npy → visual)
    const role = modalityOf(m.file.replace(/_feat\.npy$/, ''));
    const block = blocks.find((b) => b.modality === role);
    if (!block) throw new Error(`truth.json names ${m.file}, which the export has no block for (blocks: ${blocks.map((b) => b.modality).join(', ')})`);
    for (const d of m.invariantDims) invariantColumns.add(block.offset + d);
    for (const d of m.spuriousDims) spuriousColumns.add(block.offset + d);
  }
  return { invariantColumns, spuriousColumns };
}

/** The k columns with the largest mask values, largest first (ties by column). */
export function topColumns(mask: Float32Array, k: number): number[] {
  return Array.from(mask.keys())
    .sort((a, b) => mask[b] - mask[a] || a - b)
    .slice(0, k);
}

/** Share of the mask's top |planted| columns that are planted-invariant ones. */
export function maskPrecision(mask: Float32Array, planted: Planted): number {
  const k = planted.invariantColumns.size;
  return topColumns(mask, k).filter((c) => planted.invariantColumns.has(c)).length / k;
}

/** Mean mask value over the planted invariant, planted spurious and noise columns. */
export function maskMeans(mask: Float32Array, planted: Planted): Record<string, number> {
  const sums = { maskInvariant: [0, 0], maskSpurious: [0, 0], maskNoise: [0, 0] };
  mask.forEach((m, c) => {
    const group = planted.invariantColumns.has(c) ? sums.maskInvariant : planted.spuriousColumns.has(c) ? sums.maskSpurious : sums.maskNoise;
    group[0] += m;
    group[1] += 1;
  });
  return Object.fromEntries(Object.entries(sums).map(([k, [sum, n]]) => [k, sum / Math.max(n, 1)]));
}

/** 1 on the planted invariant columns, 0 elsewhere. */
export function plantedMask(width: number, planted: Planted): Float32Array {
  return Float32Array.from({ length: width }, (_, c) => (planted.invariantColumns.has(c) ? 1 : 0));
}
