// How long publishing one BI table holds the API thread: the embedded store in its worker thread (the build in
// apps/api/dist) gets 20,000 recommendation rows by replaceRows, as the publisher sends them, while the calling
// thread's event-loop delay is recorded; beside it, one structured clone of the same rows, which is what posting
// them in a single message would cost the calling thread.
// Usage: npm run bench:bi-publish [-- --rows 20000 --rounds 3]
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

interface Store {
  replaceRows(table: string, dataset: string, rows: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

const STORE_MODULE = path.resolve(__dirname, '..', '..', 'apps', 'api', 'dist', 'bi', 'bi-worker-store.js');

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

async function main(): Promise<void> {
  const count = Number(flag('--rows', '20000'));
  const rounds = Number(flag('--rounds', '3'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the API's build, loaded by path as bench/api.ts runs its CLI
  const { openWorkerBiStore } = require(STORE_MODULE) as { openWorkerBiStore: () => Promise<Store> };
  const store = await openWorkerBiStore();
  const servedAt = new Date();
  const rows = Array.from({ length: count }, (_, i) => ({
    dataset: 'bench', model_version: 'v0001', user_id: `u${Math.floor(i / 20)}`, rank: (i % 20) + 1, item_id: `i${i % 1000}`, rating: (i % 97) / 97,
    invariant_weight: 0.6, variant_weight: 0.4, invariant_score: 1.2, variant_score: 0.3, new_item: false, environment: i % 4, top_modality_invariant: 'visual', top_modality_variant: 'acoustic', served_at: servedAt,
  }));
  console.log(`| round | replaceRows of ${count} rows, ms | calling thread's loop delay p99 / max, ms | one structured clone of the rows, ms |\n|---|---|---|---|`);
  try {
    for (let r = 1; r <= rounds; r++) {
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const started = performance.now();
      await store.replaceRows('recommendations', 'bench', rows);
      const took = performance.now() - started;
      loop.disable();
      const cloneStart = performance.now();
      structuredClone(rows);
      const clone = performance.now() - cloneStart;
      console.log(`| ${r} | ${took.toFixed(0)} | ${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)} | ${clone.toFixed(0)} |`);
    }
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
