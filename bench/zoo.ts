// The quality zoo (issue: never lose to popularity on data never seen): for each dataset of the zoo, and TikTok when
// its folder is there, the product's own path end to end: `eior ingest`, then `eior train` for popularity, UltraGCN
// (IDs), UltraGCN with features and EIOR with their defaults, and `eior tune --model eior` within the default budget
// (EIOR trained with the tuned backbone). Prints one table of test Recall@20 / NDCG@20 and a JSON line.
// Usage: npm run bench:zoo [-- --datasets zoo-sparse,...|all] [--tiktok DIR|none] [--budget 10m] [--seeds 1[,2,3]]
//        [--models popularity,ultragcn,ultragcn-features,eior] (the kinds trained with their defaults; popularity always)
//        [--generate key=number,...] (generator settings on top of every zoo shape's own, e.g. spuriousStrength=0 for
//        the shapes without the planted shift, latentStrength=0 for the zoo before 2026-12-07, whose users have no
//        taste beyond the content) [--no-tune] (the defaults only)
//        With several seeds (each generates its own data and seeds every run), a last table gives each dataset's mean
//        over the seeds and how many seeds' test intervals lie wholly below or above 0.
//        (NEO4J_URI, or a fresh local Neo4j; EIOR_HOME, or a temporary one)
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeInterval, formatLiftPercent, type LiftInterval } from '@eior/model';
import { flagValue, seedsFlag } from './lib/bench-args';
import { benchNeo4j } from './lib/bench-neo4j';
import { runCliJson } from './lib/run-cli';
import { parseGenerateFlag } from './lib/generate-flag';
import { ZOO, makeZooDataset } from './lib/zoo-datasets';

const ROWS = ['popularity', 'ultragcn', 'ultragcn-features', 'eior', 'eior tuned'] as const;
type Row = (typeof ROWS)[number];

interface Cell {
  recall20: number;
  ndcg20: number;
  validNdcg20: number;
  seconds: number;
  /** Validation NDCG@20 over popularity's (the floor's lift), with its paired bootstrap interval over the validation users. */
  validLift: Lift | null;
  /** The same on the test split (reported, never used for a choice). */
  testLift: Lift | null;
}

type Lift = { lift: number | null; interval: LiftInterval | null };

interface DatasetResult {
  dataset: string;
  about: string;
  cells: Partial<Record<Row, Cell>>;
  tunedSettings: Record<string, unknown> | null;
}

const TRAINED = ['popularity', 'ultragcn', 'ultragcn-features', 'eior'] as const;

interface Options {
  budget: string;
  tune: boolean;
  models: readonly (typeof TRAINED)[number][];
  generate: Record<string, number>;
  env: NodeJS.ProcessEnv;
  home: string;
}

type Source = { name: string; about: string; dir: string; zoo?: (typeof ZOO)[number] };

/** One seed: generates the seed's data (once per folder), ingests it, trains every kind and tunes EIOR. */
async function runSeed(seed: number, sources: Source[], o: Options): Promise<DatasetResult[]> {
  const results: DatasetResult[] = [];
  for (const d of sources) {
    // each seed has its own data: its own folder and its own dataset name in the graph
    const name = d.zoo && seed !== 1 ? `${d.name}-s${seed}` : d.name;
    const dir = d.zoo ? path.join(o.home, 'zoo', name) : d.dir;
    if (d.zoo) await makeZooDataset({ ...d.zoo, name }, dir, seed);
    await runCliJson(['ingest', '--dataset', name, '--dir', dir], o.env);
    const cells: Partial<Record<Row, Cell>> = {};
    let tunedSettings: Record<string, unknown> | null = null;
    const cell = (f: Record<string, unknown>, seconds: number): Cell => {
      const m = f.metrics as { valid: Record<string, number>; test: Record<string, number> };
      const floor = f.floor as Lift | undefined;
      const validLift = floor ? { lift: floor.lift, interval: floor.interval } : null;
      return { recall20: m.test['recall@20'], ndcg20: m.test['ndcg@20'], validNdcg20: m.valid['ndcg@20'], seconds, validLift, testLift: (f.testLift as Lift | undefined) ?? null };
    };
    for (const model of o.models) {
      const run = await runCliJson(['train', '--dataset', name, '--model', model, '--seed', String(seed), '--no-tuned'], o.env);
      cells[model] = cell(run.figures, run.wallSeconds);
      console.error(`${name} ${model}: test R@20 ${cells[model]!.recall20.toFixed(4)} N@20 ${cells[model]!.ndcg20.toFixed(4)} (${run.wallSeconds.toFixed(0)} s)`);
    }
    if (o.tune) {
      const tuned = await runCliJson(['tune', '--dataset', name, '--model', 'eior', '--budget', o.budget, '--seed', String(seed)], o.env);
      const training = tuned.figures.training as Record<string, unknown> | null;
      if (training) cells['eior tuned'] = cell(training, tuned.wallSeconds);
      tunedSettings = (tuned.figures.best as { settings?: Record<string, unknown> } | null)?.settings ?? null;
    }
    results.push({ dataset: d.name, about: d.about, cells, tunedSettings });
    console.error(`${name} done: ${JSON.stringify(cells)}`); // a long run can be read as it goes
  }
  return results;
}

const words = (l: Lift | null | undefined) => (l?.lift == null ? 'no lift' : `${formatLiftPercent(l.lift)}${l.interval ? ` (${describeInterval(l.interval)})` : ''}`);
/** The version the bar judges: EIOR after tuning, or with its defaults where there was no tuning. */
const judged = (r: DatasetResult) => r.cells['eior tuned'] ?? r.cells.eior;

function printSeed(seed: number, results: DatasetResult[], o: Options): void {
  const f = (c: Cell | undefined) => (c ? `${c.recall20.toFixed(4)} / ${c.ndcg20.toFixed(4)}` : '-');
  const settings = Object.keys(o.generate).length > 0 ? `, generator settings ${JSON.stringify(o.generate)}` : '';
  console.log(`\nzoo, seed ${seed}, ${o.tune ? `tuning budget ${o.budget}` : 'no tuning'}${settings}: test Recall@20 / NDCG@20 (every choice on validation)\n`);
  console.log(`| dataset | ${ROWS.join(' | ')} | ${o.tune ? 'EIOR tuned' : 'EIOR'} beats popularity |`);
  console.log(`|---|${ROWS.map(() => '---').join('|')}|---|`);
  for (const r of results) {
    const pop = r.cells.popularity;
    const best = judged(r);
    const beats = pop && best ? (best.recall20 > pop.recall20 && best.ndcg20 > pop.ndcg20 ? 'yes' : 'no') : '-';
    console.log(`| ${r.dataset} | ${ROWS.map((row) => f(r.cells[row])).join(' | ')} | ${beats} |`);
  }
  // how much of each verdict is the split's noise: the test lift's interval over the test users (never used for a choice)
  for (const r of results) {
    const best = judged(r);
    if (best) console.log(`${r.dataset}: ${r.cells['eior tuned'] ? 'tuned ' : ''}EIOR's NDCG@20 over popularity: validation ${words(best.validLift)}, test ${words(best.testLift)}`);
  }
  for (const r of results) if (r.tunedSettings) console.log(`${r.dataset}: the tuning's best settings ${JSON.stringify(r.tunedSettings)}`);
}

/** Each dataset's mean over the seeds, and where the seeds' test intervals of the NDCG@20 lift lie. */
function printAcrossSeeds(seeds: number[], bySeed: DatasetResult[][], o: Options): void {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pct = (a: number, b: number) => formatLiftPercent(b > 0 ? a / b - 1 : 0);
  console.log(`\nzoo, mean over seeds ${seeds.join(', ')}, ${o.tune ? `tuning budget ${o.budget}` : 'no tuning'}: test Recall@20 / NDCG@20\n`);
  console.log(`| dataset | popularity | ${o.tune ? 'EIOR tuned' : 'EIOR'} | Recall@20 / NDCG@20 over popularity | validation NDCG@20 lift | seeds whose test interval is below 0 / holds 0 / above 0 | beats popularity (means) |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const first of bySeed[0]) {
    const rows = bySeed.map((results) => results.find((r) => r.dataset === first.dataset)!);
    const pop = rows.map((r) => r.cells.popularity!);
    const best = rows.map(judged).filter((c): c is Cell => c != null);
    if (best.length !== rows.length) continue;
    const [pr, pn, br, bn] = [mean(pop.map((c) => c.recall20)), mean(pop.map((c) => c.ndcg20)), mean(best.map((c) => c.recall20)), mean(best.map((c) => c.ndcg20))];
    const validLifts = best.map((c) => c.validLift?.lift).filter((x): x is number => x != null);
    const intervals = best.map((c) => c.testLift?.interval).filter((x): x is LiftInterval => x != null);
    const below = intervals.filter((i) => i.high < 0).length;
    const above = intervals.filter((i) => i.low > 0).length;
    console.log(
      `| ${first.dataset} | ${pr.toFixed(4)} / ${pn.toFixed(4)} | ${br.toFixed(4)} / ${bn.toFixed(4)} | ${pct(br, pr)} / ${pct(bn, pn)} | ` +
        `${validLifts.length ? formatLiftPercent(mean(validLifts)) : '-'} | ${below} / ${intervals.length - below - above} / ${above} | ${br > pr && bn > pn ? 'yes' : 'no'} |`,
    );
  }
}

async function main(): Promise<void> {
  const seeds = seedsFlag(flagValue('--seed', '1'));
  const models = flagValue('--models', TRAINED.join(',')).split(',');
  const unknown = models.filter((m) => !(TRAINED as readonly string[]).includes(m));
  if (unknown.length) throw new RangeError(`--models: unknown kind ${unknown.join(', ')}; expected some of ${TRAINED.join(', ')}`);
  const wanted = flagValue('--datasets', 'all');
  const tiktok = flagValue('--tiktok', path.resolve('..', 'shared', 'data', 'tiktok'));
  const home = process.env.EIOR_HOME ?? mkdtempSync(path.join(os.tmpdir(), 'eior-zoo-'));
  const neo4j = await benchNeo4j(7695);
  const o: Options = {
    budget: flagValue('--budget', '10m'),
    tune: !process.argv.includes('--no-tune'),
    models: TRAINED.filter((m) => m === 'popularity' || models.includes(m)),
    generate: parseGenerateFlag(flagValue('--generate', '')),
    env: { ...process.env, NEO4J_URI: neo4j.uri, EIOR_HOME: home },
    home,
  };
  const sources: Source[] = ZOO.filter((z) => wanted === 'all' || wanted.split(',').includes(z.name)).map((z) => ({ name: z.name, about: z.about, dir: path.join(home, 'zoo', z.name), zoo: { ...z, generate: { ...z.generate, ...o.generate } } }));
  if (tiktok !== 'none' && existsSync(path.join(tiktok, 'tiktok.inter')) && (wanted === 'all' || wanted.split(',').includes('tiktok'))) {
    sources.push({ name: 'tiktok', about: 'the TikTok benchmark (9,308 users, 6,710 items, visual + acoustic)', dir: tiktok });
  }
  const bySeed: DatasetResult[][] = [];
  try {
    for (const seed of seeds) {
      bySeed.push(await runSeed(seed, sources, o));
      printSeed(seed, bySeed[bySeed.length - 1], o);
    }
  } finally {
    await neo4j.close();
  }
  if (seeds.length > 1) printAcrossSeeds(seeds, bySeed, o);
  console.log(JSON.stringify({ seeds, budget: o.tune ? o.budget : null, generate: o.generate, results: bySeed.map((results, k) => ({ seed: seeds[k], results })) }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
