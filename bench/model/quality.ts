// Test quality on TikTok (docs/method.md#8-evaluation): popularity, UltraGCN (IDs) and UltraGCN with features, several
// seeds each, early stopping on validation NDCG@20, figures on test. Prints one markdown table and a JSON line.
//
//   npx tsc -b libs/model && npx tsc -p bench/model && node bench/model/dist/bench/model/quality.js \
//     [--data DIR] [--seeds 1,2,3] [--models popularity,ultragcn-ids,ultragcn-features] [--preset tiktok|invrl|paper]
//     [--epochs N] [--set key=value,...] [--verbose]
import {
  INVRL_PRESET,
  PopularityModel,
  RankingEvaluator,
  TIKTOK_PRESET,
  ULTRAGCN_PAPER_PRESET,
  fitUltraGcn,
  resolveUltraGcnConfig,
  selectBackend,
  type MetricsAtK,
  type RecDataset,
  type UltraGcnConfig,
} from '@eior/model';
import { DEFAULT_TIKTOK_DIR, loadTikTok } from './tiktok';

const MODELS = ['popularity', 'ultragcn-ids', 'ultragcn-features'] as const;
type ModelName = (typeof MODELS)[number];
const PRESETS: Record<string, Readonly<UltraGcnConfig>> = { tiktok: TIKTOK_PRESET, invrl: INVRL_PRESET, paper: ULTRAGCN_PAPER_PRESET };

interface Args {
  data: string;
  seeds: number[];
  models: ModelName[];
  preset: string;
  epochs?: number;
  overrides: Partial<UltraGcnConfig>;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const models = (get('--models') ?? MODELS.join(',')).split(',') as ModelName[];
  for (const m of models) if (!MODELS.includes(m)) throw new Error(`--models: "${m}" is not one of ${MODELS.join(', ')}`);
  const preset = get('--preset') ?? 'tiktok';
  if (!(preset in PRESETS)) throw new Error(`--preset: "${preset}" is not one of ${Object.keys(PRESETS).join(', ')}`);
  const overrides: Record<string, number | boolean> = {};
  for (const pair of (get('--set') ?? '').split(',').filter((s) => s !== '')) {
    const [key, value] = pair.split('=');
    overrides[key] = value === 'true' ? true : value === 'false' ? false : Number(value);
  }
  const epochs = get('--epochs');
  return {
    data: get('--data') ?? DEFAULT_TIKTOK_DIR,
    seeds: (get('--seeds') ?? '1,2,3').split(',').map(Number),
    models,
    preset,
    epochs: epochs === undefined ? undefined : Number(epochs),
    overrides: overrides as Partial<UltraGcnConfig>,
    verbose: argv.includes('--verbose'),
  };
}

interface Run {
  model: ModelName;
  seed: number;
  test: Record<number, MetricsAtK>;
  valid: Record<number, MetricsAtK> | null;
  bestEpoch: number;
  epochs: number;
  trainSeconds: number;
}

async function runOne(name: ModelName, seed: number, data: RecDataset, args: Args): Promise<Run> {
  if (name === 'popularity') {
    const model = new PopularityModel(data.numUsers, data.numItems, data.train);
    const evaluate = (target: RecDataset['test']): Record<number, MetricsAtK> =>
      new RankingEvaluator(data.numUsers, data.numItems, data.train, target).evaluate(model, { ks: [10, 20] }).atK;
    return { model: name, seed, test: evaluate(data.test), valid: evaluate(data.valid), bestEpoch: 0, epochs: 0, trainSeconds: 0 };
  }
  const config = resolveUltraGcnConfig(
    { ...args.overrides, ...(args.epochs ? { epochs: args.epochs } : {}), useFeatures: name === 'ultragcn-features', seed },
    PRESETS[args.preset],
  );
  const { model, result } = await fitUltraGcn(data, config, {
    onEpoch: (r) => {
      if (!args.verbose) return;
      const v = r.valid ? ` valid R@20 ${r.valid[20].recall.toFixed(4)} N@20 ${r.valid[20].ndcg.toFixed(4)}` : '';
      console.error(`  ${name} seed ${seed} epoch ${r.epoch}: loss ${r.loss.toFixed(4)} (L ${r.lossL.toFixed(4)}, I ${r.lossI.toFixed(4)}) ${r.seconds.toFixed(2)} s${v}`);
    },
  });
  model.dispose();
  const trainSeconds = result.curve.reduce((s, r) => s + r.seconds, 0);
  return { model: name, seed, test: result.test.atK, valid: result.bestValid, bestEpoch: result.bestEpoch, epochs: result.curve.length, trainSeconds };
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

const fmt = (values: number[], digits = 4): string => {
  const { mean, std } = meanStd(values);
  return `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = await selectBackend();
  const data = await loadTikTok(args.data);
  console.log(
    `TikTok: ${data.numUsers} users, ${data.numItems} items, ${data.train.users.length} train pairs; backend ${backend.name}; ` +
      `preset ${args.preset}${Object.keys(args.overrides).length ? ` with ${JSON.stringify(args.overrides)}` : ''}; seeds ${args.seeds.join(', ')}`,
  );
  const runs: Run[] = [];
  for (const name of args.models) {
    for (const seed of name === 'popularity' ? args.seeds.slice(0, 1) : args.seeds) {
      const run = await runOne(name, seed, data, args);
      runs.push(run);
      console.error(
        `${name} seed ${seed}: test R@20 ${run.test[20].recall.toFixed(4)} N@20 ${run.test[20].ndcg.toFixed(4)}` +
          `${run.valid ? ` | valid R@20 ${run.valid[20].recall.toFixed(4)} N@20 ${run.valid[20].ndcg.toFixed(4)}` : ''}` +
          ` | best epoch ${run.bestEpoch} of ${run.epochs} | ${run.trainSeconds.toFixed(1)} s`,
      );
    }
  }
  const rows = args.models.map((name) => {
    const mine = runs.filter((r) => r.model === name);
    const pick = (k: number, m: keyof MetricsAtK): number[] => mine.map((r) => r.test[k][m]);
    const valid = mine.map((r) => (r.valid ? r.valid[20].ndcg : 0));
    return {
      model: name,
      seeds: name === 'popularity' ? 'deterministic' : String(mine.length),
      cells: [
        fmt(pick(10, 'recall')),
        fmt(pick(20, 'recall')),
        fmt(pick(10, 'ndcg')),
        fmt(pick(20, 'ndcg')),
        fmt(valid),
        name === 'popularity' ? '-' : fmt(mine.map((r) => r.bestEpoch), 1),
        name === 'popularity' ? '-' : fmt(mine.map((r) => r.trainSeconds), 1),
      ],
    };
  });
  console.log('');
  console.log('| model | seeds | test Recall@10 | test Recall@20 | test NDCG@10 | test NDCG@20 | valid NDCG@20 | best epoch | train s |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.model} | ${r.seeds} | ${r.cells.join(' | ')} |`);
  console.log('');
  console.log(JSON.stringify({ preset: args.preset, overrides: args.overrides, epochsCap: args.epochs ?? null, runs }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
