// Consistency check on TikTok: the training path (scorePairs, gathered kernels) and the evaluation path
// (scoreAllItems, whole-catalogue product) give the same scores after a few steps, on both kernel kinds.
import { INVRL_PRESET, NegativeSampler, Random, UltraGcn, selectBackend, shuffledBatches } from '@eior/model';
import { loadTikTok } from './tiktok';

async function main(): Promise<void> {
  await selectBackend();
  const data = await loadTikTok();
  for (const kernels of ['auto', 'js'] as const) {
    const config = { ...INVRL_PRESET, seed: 5 };
    const rng = new Random(config.seed);
    const model = new UltraGcn(data, config, { rng, kernels });
    const sampler = new NegativeSampler({ numItems: data.numItems, negativeNum: config.negativeNum, excludePositives: false }, rng);
    let n = 0;
    for (const batch of shuffledBatches(data.train, config.batchSize, sampler, rng)) {
      model.trainStep(batch);
      if (++n >= 60) break;
    }
    const users = Int32Array.from([0, 17, 4000, 9000]);
    const all = model.scoreAllItems(users);
    let maxDiff = 0;
    let maxAbs = 0;
    for (let r = 0; r < users.length; r++) {
      const items = Int32Array.from({ length: data.numItems }, (_, i) => i);
      const pairs = model.scorePairs(new Int32Array(data.numItems).fill(users[r]), items);
      for (let i = 0; i < data.numItems; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(pairs[i] - all[r * data.numItems + i]));
        maxAbs = Math.max(maxAbs, Math.abs(all[r * data.numItems + i]));
      }
    }
    console.log(`${kernels} (simd ${model.simd}): max |scorePairs - scoreAllItems| ${maxDiff.toExponential(2)}, max |score| ${maxAbs.toFixed(3)}, sample ${Array.from(all.slice(0, 4)).map((v) => v.toFixed(4)).join(' ')}`);
    model.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
