// Scale benchmark: one training epoch of UltraGCN with features (InvRL's preset) on generated data with
// 1,000,000 interactions: seconds for the epoch, for graph statistics and for full-ranking evaluation, and
// the peak memory of the process. Usage: npm run bench:scale [-- --interactions N --users N --items N]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportFromFiles, generateDataset } from '@eior/graph';
import { INVRL_PRESET, NegativeSampler, Random, RankingEvaluator, UltraGcn, describeBackendChoice, selectBackend, shuffledBatches } from '@eior/model';


function flag(name: string, fallback: number): number {
  const k = process.argv.indexOf(name);
  return k >= 0 ? Number(process.argv[k + 1]) : fallback;
}

async function main(): Promise<void> {
  const interactions = flag('--interactions', 1_000_000);
  const users = flag('--users', Math.round(interactions / 20));
  const items = flag('--items', Math.round(interactions / 50));
  const backend = await selectBackend();
  const work = mkdtempSync(path.join(os.tmpdir(), 'eior-bench-scale-'));
  try {
    const t0 = performance.now();
    await generateDataset(work, { users, items, interactions, seed: 1 });
    const data = await exportFromFiles(work);
    const t1 = performance.now();
    const config = { ...INVRL_PRESET, useFeatures: true };
    const rng = new Random(config.seed);
    const model = new UltraGcn(data, config, { rng });
    const t2 = performance.now();
    const sampler = new NegativeSampler({ numItems: data.numItems, negativeNum: config.negativeNum, excludePositives: false, userItems: model.stats.userItems }, rng);
    for (const batch of shuffledBatches(data.train, config.batchSize, sampler, rng)) model.trainStep(batch);
    const t3 = performance.now();
    const evaluator = new RankingEvaluator(data.numUsers, data.numItems, data.train, data.valid);
    const valid = evaluator.evaluate(model, { ks: [20] });
    const t4 = performance.now();
    model.dispose();
    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const figures = {
      backend: backend.name,
      users: data.numUsers,
      items: data.numItems,
      trainPairs: data.train.users.length,
      seconds: { generateAndLoad: (t1 - t0) / 1000, graphStatsAndInit: (t2 - t1) / 1000, epoch: (t3 - t2) / 1000, evaluateValid: (t4 - t3) / 1000 },
      pairsPerSecond: data.train.users.length / ((t3 - t2) / 1000),
      validRecall20AfterOneEpoch: valid.atK[20].recall,
      peakRssMb: peakMb,
    };
    console.log(describeBackendChoice(backend));
    console.log(`| interactions | users | items | train pairs | graph stats + init | one epoch | pairs/s | full-ranking eval (valid) | peak memory |`);
    console.log(`|---|---|---|---|---|---|---|---|---|`);
    console.log(`| ${interactions} | ${figures.users} | ${figures.items} | ${figures.trainPairs} | ${figures.seconds.graphStatsAndInit.toFixed(1)} s | ${figures.seconds.epoch.toFixed(1)} s | ${Math.round(figures.pairsPerSecond)} | ${figures.seconds.evaluateValid.toFixed(1)} s | ${peakMb} MB |`);
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
