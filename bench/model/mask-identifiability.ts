// Whether a planted shape's interactions hold what the mask precision bar asks for (docs/method.md "What
// `shift-noise` asks for"). Each shape is generated again with its generating process kept, and every item's train
// interactions in each training period (its environment) are counted. A Poisson regression of those counts on the
// item's standardised feature columns, log E[c_ie] = a_e + x_i · β_e, is fitted by iteratively reweighted least
// squares, and the columns are ranked in two ways: by |β| of the regression over all periods (pooled), and by
// |mean_e β_e| − 2 sd_e β_e (stable: large, and the same in every period). Both are fitted twice: as anything learned
// from the files must, and with the generator's popularity prior π_i given as an offset (log E[c] = a + log π_i +
// x_i · β), which no file holds. Precision is the bar's: the share of the top k columns (k = the planted invariant
// count) that are planted invariant; it is also given with the spurious columns set aside (telling those apart is the
// invariance penalty's work, across periods), which asks whether the other columns alone push planted ones out. An
// item-level regression that knows the periods and the form of the process is
// the best that item counts allow; where it fails without π and succeeds with it, the item counts cannot tell a
// column that the unknown popularity prior happens to favour from a planted one. (The users' own taste over the
// invariant columns is the other signal; bench:mask's learner reads it, this bench does not.)
//
//   npm run bench:identifiability -- [--shapes default,widths,shift-noise,shift,noise (all planted shapes)] [--data-seeds 42] [--generate key=number,...]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { buildItemFeatures } from '@eior/model';
import { exportFromFiles, generateDataset, periodOf } from '../../libs/graph/src';
import { flagValue } from '../lib/bench-args';
import { parseGenerateFlag } from '../lib/generate-flag';
import { poissonRegression, stableScore } from './poisson-regression';
import { PLANTED_SHAPES, shapesFlag, maskPrecision, plantedColumns, withNoiseModality, type Planted } from './planted';

/** The columns standardised to mean 0 and sd 1 over the items (a constant column stays 0). */
function standardised(data: Float32Array, n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      s += data[i * d + j];
      s2 += data[i * d + j] ** 2;
    }
    const mean = s / n;
    const sd = Math.sqrt(Math.max(s2 / n - mean * mean, 0));
    for (let i = 0; i < n; i++) x[i * d + j] = sd > 0 ? (data[i * d + j] - mean) / sd : 0;
  }
  return x;
}

/** The planted invariant columns' smallest score, and the largest of the spurious and of the other columns. */
function groupRanges(score: Float64Array, planted: Planted): { invariantMin: number; spuriousMax: number; noiseMax: number } {
  let invariantMin = Infinity;
  let spuriousMax = -Infinity;
  let noiseMax = -Infinity;
  score.forEach((v, c) => {
    if (planted.invariantColumns.has(c)) invariantMin = Math.min(invariantMin, v);
    else if (planted.spuriousColumns.has(c)) spuriousMax = Math.max(spuriousMax, v);
    else noiseMax = Math.max(noiseMax, v);
  });
  return { invariantMin, spuriousMax, noiseMax };
}

async function main(): Promise<void> {
  const shapes = shapesFlag(flagValue('--shapes', ''));
  const dataSeeds = flagValue('--data-seeds', '42').split(',').map((s) => {
    const seed = Number(s);
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`--data-seeds: "${s}" is not valid: expected whole numbers, e.g. 42,43,44`);
    return seed;
  });
  const extra = parseGenerateFlag(flagValue('--generate', ''));
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'eior-identifiability-'));
  const rows: string[] = [];
  try {
    for (const shape of shapes) {
      const { generate, noiseModality } = PLANTED_SHAPES[shape];
      for (const seed of dataSeeds) {
        const dir = path.join(scratch, `${shape}-${seed}`);
        const made = await generateDataset(dir, { ...generate, ...extra, seed }, { keepPlanted: true });
        const loaded = await exportFromFiles(dir, path.basename(dir));
        const data = withNoiseModality(loaded, noiseModality);
        const features = buildItemFeatures(data.numItems, data.features);
        const planted = plantedColumns(made.truth, features.blocks);
        const n = data.numItems;
        const d = features.width;
        const x = standardised(features.data, n, d);
        // the exported items are the generator's items under their file ids
        const pi = made.planted!.items.popularity;
        const logPi = Float64Array.from(loaded.itemIds, (id) => Math.log(pi[Number(id)]));
        const periods = made.truth.config.environments;
        const counts = Array.from({ length: periods }, () => new Float64Array(n));
        const pooled = new Float64Array(n);
        const times = loaded.trainTimestamps;
        if (!times) throw new Error(`${dir}: the export has no train timestamps`);
        loaded.train.items.forEach((item, k) => {
          const period = Math.min(periods - 1, Math.max(0, periodOf(times[k], made.truth.config)));
          counts[period][item]++;
          pooled[item]++;
        });
        for (const [known, offset] of [['files', undefined], ['files + π', logPi]] as const) {
          const pooledBeta = Float64Array.from(poissonRegression(x, pooled, d, offset), Math.abs);
          const stable = stableScore(counts.map((c) => poissonRegression(x, c, d, offset)));
          for (const [rule, score] of [['pooled |β|', pooledBeta], ['stable', stable]] as const) {
            const r = groupRanges(score, planted);
            // the same ranking with the spurious columns set aside: whether the other columns alone push planted ones out
            const withoutSpurious = Float32Array.from(score, (v, c) => (planted.spuriousColumns.has(c) ? -Infinity : v));
            rows.push(`| ${shape} | ${seed} | ${known} | ${rule} | ${maskPrecision(Float32Array.from(score), planted).toFixed(3)} | ${maskPrecision(withoutSpurious, planted).toFixed(3)} | ${r.invariantMin.toFixed(3)} | ${r.spuriousMax.toFixed(3)} | ${r.noiseMax.toFixed(3)} |`);
            console.error(rows[rows.length - 1]);
          }
        }
      }
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  const settings = Object.keys(extra).length > 0 ? ` (--generate ${Object.entries(extra).map(([k, v]) => `${k}=${v}`).join(',')})` : '';
  console.log(`\nitem-level Poisson regressions of the train counts per period on the feature columns${settings}\n`);
  console.log('| shape | data seed | known | rule | precision | precision, spurious set aside | planted invariant, least | spurious, most | other columns, most |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
