// Training speed of UltraGCN with INVRL_PRESET on TikTok (59,541 train pairs, 50 negatives each, batch 512) on
// every TensorFlow.js backend present: seconds per epoch, positive pairs per second, peak memory. Prints figures.
//
//   npx tsc -b libs/model && npx tsc -p bench/model && node bench/model/dist/bench/model/speed.js \
//     [--data /work/shared/data/tiktok] [--backends wasm,cpu] [--epochs 2] [--warmup 5] [--kernels auto|js]
//     [--model ultragcn|eior]   (eior: both branches and the self-attention fusion, on a random mask)
import * as tf from '@tensorflow/tfjs';
import {
  BACKEND_PREFERENCE,
  EiorModel,
  QUICK_EIOR_PRESET,
  INVRL_PRESET,
  NegativeSampler,
  Random,
  RankingEvaluator,
  selectBackend,
  shuffledBatches,
  UltraGcn,
  type BackendName,
  type RecDataset,
} from '@eior/model';
import { DEFAULT_TIKTOK_DIR, loadTikTok } from './tiktok';

const TARGET_SECONDS_PER_EPOCH = 2;
const TARGET_PEAK_BYTES = 2 * 1024 ** 3;

interface Args {
  data: string;
  backends: BackendName[];
  epochs: number;
  warmup: number;
  kernels: 'auto' | 'js';
  model: 'ultragcn' | 'eior';
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const backends = (get('--backends') ?? 'node-gpu,node,wasm,cpu').split(',') as BackendName[];
  for (const b of backends) if (!BACKEND_PREFERENCE.includes(b)) throw new Error(`--backends: "${b}" is not one of ${BACKEND_PREFERENCE.join(', ')}`);
  const kernels = get('--kernels') ?? 'auto';
  if (kernels !== 'auto' && kernels !== 'js') throw new Error(`--kernels: "${kernels}" is not auto or js`);
  const model = get('--model') ?? 'ultragcn';
  if (model !== 'ultragcn' && model !== 'eior') throw new Error(`--model: "${model}" is not ultragcn or eior`);
  return { data: get('--data') ?? DEFAULT_TIKTOK_DIR, backends, epochs: Number(get('--epochs') ?? 2), warmup: Number(get('--warmup') ?? 5), kernels, model };
}

class PeakMemory {
  rss = 0;
  sample(): void {
    this.rss = Math.max(this.rss, process.memoryUsage().rss);
  }
}

interface BackendFigures {
  backend: string;
  simd: boolean;
  secondsPerEpoch: number[];
  pairsPerSecond: number;
  msPerStep: number;
  evalSeconds: number;
  peakRssBytes: number;
  finalLoss: number;
}

async function benchBackend(name: BackendName, data: RecDataset, args: Args): Promise<BackendFigures | string> {
  try {
    await selectBackend({ name });
  } catch (error) {
    return (error as Error).message;
  }
  const peak = new PeakMemory();
  const config = { ...INVRL_PRESET };
  const rng = new Random(config.seed);
  const model = args.model === 'eior' ? eiorModel(data, rng) : new UltraGcn(data, config, { rng, kernels: args.kernels });
  const sampler = new NegativeSampler({ numItems: data.numItems, negativeNum: config.negativeNum, excludePositives: config.excludePositives }, rng);
  let warm = 0;
  for (const batch of shuffledBatches(data.train, config.batchSize, sampler, rng)) {
    model.trainStep(batch);
    if (++warm >= args.warmup) break;
  }
  const seconds: number[] = [];
  let steps = 0;
  let finalLoss = 0;
  for (let epoch = 0; epoch < args.epochs; epoch++) {
    const start = performance.now();
    let sum = 0;
    for (const batch of shuffledBatches(data.train, config.batchSize, sampler, rng)) {
      sum += model.trainStep(batch).total;
      steps++;
      peak.sample();
    }
    seconds.push((performance.now() - start) / 1000);
    finalLoss = sum / data.train.users.length;
  }
  const simd = model instanceof UltraGcn ? model.simd : true;
  const evalStart = performance.now();
  new RankingEvaluator(data.numUsers, data.numItems, data.train, data.valid).evaluate(model);
  const evalSeconds = (performance.now() - evalStart) / 1000;
  peak.sample();
  model.dispose();
  const total = seconds.reduce((a, b) => a + b, 0);
  return {
    backend: tf.getBackend(),
    simd,
    secondsPerEpoch: seconds,
    pairsPerSecond: (data.train.users.length * args.epochs) / total,
    msPerStep: (1000 * total) / steps,
    evalSeconds,
    peakRssBytes: peak.rss,
    finalLoss,
  };
}

function eiorModel(data: RecDataset, rng: Random): EiorModel {
  const width = data.features.reduce((a, f) => a + f.width, 0);
  const mask = Float32Array.from({ length: width }, () => rng.nextFloat());
  return new EiorModel(data, INVRL_PRESET, QUICK_EIOR_PRESET.fusion, mask, { rng });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const data = await loadTikTok(args.data);
  console.log(
    `TikTok: ${data.numUsers} users, ${data.numItems} items, ${data.train.users.length} train pairs; INVRL_PRESET: ` +
      `${INVRL_PRESET.negativeNum} negatives, batch ${INVRL_PRESET.batchSize}, ${INVRL_PRESET.idDim} + ${INVRL_PRESET.featureDim} dims`,
  );
  for (const name of args.backends) {
    const figures = await benchBackend(name, data, args);
    if (typeof figures === 'string') {
      console.log(`${name.padEnd(8)} skipped: ${figures}`);
      continue;
    }
    const best = Math.min(...figures.secondsPerEpoch);
    console.log(
      `${name.padEnd(8)} ${figures.simd ? 'SIMD kernels' : 'JS loops'} | s/epoch ${figures.secondsPerEpoch.map((s) => s.toFixed(2)).join(' ')} (best ${best.toFixed(2)}, target ≤ ${TARGET_SECONDS_PER_EPOCH})` +
        ` | ${Math.round(figures.pairsPerSecond)} pairs/s | ${figures.msPerStep.toFixed(1)} ms/step` +
        ` | valid eval ${figures.evalSeconds.toFixed(2)} s | peak RSS ${(figures.peakRssBytes / 1024 ** 2).toFixed(0)} MiB` +
        ` (target ≤ ${TARGET_PEAK_BYTES / 1024 ** 3} GiB) | loss/pair ${figures.finalLoss.toFixed(4)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
