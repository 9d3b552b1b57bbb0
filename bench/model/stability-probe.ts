// The stable columns by the stability of the taste projection across time windows, beside the penalty's mask learner:
// from the invariance stage's pooled user-taste fit (its `taste`), the content projection W is refitted with the
// users' vectors held fixed on each time window's edges alone, and a column j counts as stable when its row of W is
// the same in every window: ‖mean_e W_e[j]‖² over its spread mean_e ‖W_e[j] − mean‖² (`ratio`), or over the spread
// plus the median spread of all columns (`floored`, column-stability.ts). Prints, per planted shape and seed, the
// precision of the penalty's mask learner (as bench:mask with `mask.estimator=penalty`), of both scores for each
// number of windows, and of the least gate over all the window counts given (the product's `mask.estimator:
// stability` reads every count from 2 to the stage's environments; bench:mask measures it as the product runs it).
//
//   npm run bench:stability -- [--shapes default,widths,shift-noise,shift,noise (all planted shapes)] [--seeds 1,2,3] [--windows 3,10] [--epochs 3] [--generate k=v,...] [--dump FILE]
import { writeFile } from 'node:fs/promises';
import {
  NegativeSampler,
  QUICK_EIOR_PRESET,
  Random,
  TIKTOK_PRESET,
  buildItemFeatures,
  computeGraphStats,
  fitBackbone,
  freezeBackbone,
  learnInvariance,
  learnStableMask,
  resolveEiorConfig,
  resolveUltraGcnConfig,
  selectBackend,
  tasteSettings,
} from '@eior/model';
import { parseGenerateFlag } from '../lib/generate-flag';
import { PLANTED_SHAPES, shapesFlag, loadData, maskPrecision, withNoiseModality } from './planted';
import { probeBackbone } from './probe-backbones';

function flag(argv: string[], name: string, fallback: string): string {
  const k = argv.indexOf(name);
  return k >= 0 ? argv[k + 1] : fallback;
}

/** Each column's rank (0 = lowest) in `scores`, ties by index. */
function ranks(scores: Float32Array): Float32Array {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b] || a - b);
  const out = new Float32Array(scores.length);
  order.forEach((c, r) => (out[c] = r));
  return out;
}

/** The mean of two scores' ranks: a column high in both the learned mask and the stability score comes first. */
function rankMean(a: Float32Array, b: Float32Array): Float32Array {
  const ra = ranks(a);
  const rb = ranks(b);
  return Float32Array.from(ra, (r, j) => r + rb[j]);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const shapes = shapesFlag(flag(argv, '--shapes', ''));
  const seeds = flag(argv, '--seeds', '1,2,3').split(',').map(Number);
  const windowCounts = flag(argv, '--windows', '3,10').split(',').map(Number);
  const epochs = Number(flag(argv, '--epochs', '3'));
  const extra = parseGenerateFlag(flag(argv, '--generate', ''));
  if (!windowCounts.every((E) => Number.isInteger(E) && E >= 2) || !(Number.isInteger(epochs) && epochs >= 1)) {
    throw new Error(`--windows must be integers >= 2 and --epochs an integer >= 1, got ${windowCounts.join(',')} and ${epochs}`);
  }
  await selectBackend({});
  // the penalty's mask learner, for comparison; its stage also fits the taste model the windows start from
  const eior = resolveEiorConfig({ mask: { estimator: 'penalty' } }, QUICK_EIOR_PRESET);
  const header = ['shape', 'seed', 'mask learner', ...windowCounts.flatMap((E) => [`ratio, ${E} windows`, `floored, ${E} windows`, `mask + floored, ${E} windows`]), 'least gate over the window counts'];
  const lines: string[] = [];
  const dump = flag(argv, '--dump', '');
  const dumped: unknown[] = [];
  for (const shape of shapes) {
    const { generate, noiseModality } = PLANTED_SHAPES[shape];
    const loaded = await loadData('generated', { ...generate, ...extra });
    // the same backbone label as bench:mask's, so that the two benches share cached backbones
    const label = [shape, ...Object.entries(extra).map(([k, v]) => `${k}-${v}`)].join('-');
    const data = withNoiseModality(loaded.data, noiseModality);
    const planted = loaded.planted!;
    if (!data.trainTimestamps) throw new Error(`${shape}: the generated data has no timestamps`);
    for (const seed of seeds) {
      const cfg = resolveUltraGcnConfig({ seed }, TIKTOK_PRESET);
      const backbone = await probeBackbone(label, seed, '', cfg, () => fitBackbone(data, cfg));
      // the stage's own taste fit (the preset's `userSide: taste`): its user vectors and pooled projection
      const learned = await learnInvariance(data, backbone, eior, { trainTimestamps: data.trainTimestamps });
      const taste = learned.taste!;
      const x = buildItemFeatures(data.numItems, data.features, { center: cfg.centerFeatures });
      const stats = computeGraphStats(data.numUsers, data.numItems, data.train, cfg);
      const batchSize = eior.mask.batchSize || cfg.batchSize;
      const frozen = freezeBackbone(backbone.weights, cfg, x, stats, cfg, { rows: Math.max(cfg.batchSize, batchSize), slots: 1 + cfg.negativeNum }, 'feature');
      const rng = new Random(seed + 1);
      const sampler = new NegativeSampler({ numItems: data.numItems, negativeNum: cfg.negativeNum, excludePositives: cfg.excludePositives, userItems: stats.userItems }, rng);
      const settings = tasteSettings(eior.mask, batchSize);
      const scores: Record<string, number[]> = {};
      const cells = [shape, String(seed), maskPrecision(learned.learnedMask, planted).toFixed(3)];
      const stable = await learnStableMask(
        {
          backbone: frozen,
          taste,
          train: data.train,
          timestamps: data.trainTimestamps,
          sampler,
          rng,
          settings: { ...settings, epochs },
          onResolution: ({ windows, ratio, floored }) => {
            scores[`floored${windows}`] = [...floored];
            cells.push(maskPrecision(ratio, planted).toFixed(3), maskPrecision(floored, planted).toFixed(3), maskPrecision(rankMean(learned.learnedMask, floored), planted).toFixed(3));
          },
        },
        windowCounts,
      );
      cells.push(stable ? maskPrecision(stable.mask, planted).toFixed(3) : 'no windows');
      frozen.table.dispose();
      if (dump) dumped.push({ shape, seed, invariant: [...planted.invariantColumns], mask: [...learned.learnedMask], scores });
      console.error(cells.join(' | '));
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  if (dump) await writeFile(dump, JSON.stringify(dumped));
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${lines.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
