// The quality zoo (issue: never lose to popularity on data never seen): for each dataset of the zoo, and TikTok when
// its folder is there, the product's own path end to end: `eior ingest`, then `eior train` for popularity, UltraGCN
// (IDs), UltraGCN with features and EIOR with their defaults, and `eior tune --model eior` within the default budget
// (EIOR trained with the tuned backbone). Prints one table of test Recall@20 / NDCG@20 and a JSON line.
// Usage: npm run bench:zoo [-- --datasets zoo-sparse,...|all] [--tiktok DIR|none] [--budget 10m] [--seed 1]
//        [--generate key=number,...] (generator settings on top of every zoo shape's own, e.g. spuriousStrength=0 for
//        the shapes without the planted shift) [--no-tune] (the defaults only)
//        (NEO4J_URI, or a fresh local Neo4j; EIOR_HOME, or a temporary one)
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeInterval, formatLiftPercent, type LiftInterval } from '@eior/model';
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

function arg(flag: string, fallback: string): string {
  const k = process.argv.indexOf(flag);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

async function main(): Promise<void> {
  const seed = Number(arg('--seed', '1'));
  const budget = arg('--budget', '10m');
  const wanted = arg('--datasets', 'all');
  const generate = parseGenerateFlag(arg('--generate', ''));
  const tune = !process.argv.includes('--no-tune');
  const tiktok = arg('--tiktok', path.resolve('..', 'shared', 'data', 'tiktok'));
  const home = process.env.EIOR_HOME ?? mkdtempSync(path.join(os.tmpdir(), 'eior-zoo-'));
  const neo4j = await benchNeo4j(7695);
  const env = { ...process.env, NEO4J_URI: neo4j.uri, EIOR_HOME: home };
  const datasets = ZOO.filter((z) => wanted === 'all' || wanted.split(',').includes(z.name)).map((z) => ({ name: z.name, about: z.about, dir: path.join(home, 'zoo', z.name), zoo: { ...z, generate: { ...z.generate, ...generate } } }));
  const all: { name: string; about: string; dir: string; zoo?: (typeof ZOO)[number] }[] = [...datasets];
  if (tiktok !== 'none' && existsSync(path.join(tiktok, 'tiktok.inter')) && (wanted === 'all' || wanted.split(',').includes('tiktok'))) {
    all.push({ name: 'tiktok', about: 'the TikTok benchmark (9,308 users, 6,710 items, visual + acoustic)', dir: tiktok });
  }
  const results: { dataset: string; about: string; cells: Partial<Record<Row, Cell>>; tunedSettings: Record<string, unknown> | null }[] = [];
  try {
    for (const d of all) {
      if (d.zoo) await makeZooDataset(d.zoo, d.dir, seed);
      await runCliJson(['ingest', '--dataset', d.name, '--dir', d.dir], env);
      const cells: Partial<Record<Row, Cell>> = {};
      let tunedSettings: Record<string, unknown> | null = null;
      const cell = (f: Record<string, unknown>, seconds: number): Cell => {
        const m = f.metrics as { valid: Record<string, number>; test: Record<string, number> };
        const floor = f.floor as Lift | undefined;
        const validLift = floor ? { lift: floor.lift, interval: floor.interval } : null;
        return { recall20: m.test['recall@20'], ndcg20: m.test['ndcg@20'], validNdcg20: m.valid['ndcg@20'], seconds, validLift, testLift: (f.testLift as Lift | undefined) ?? null };
      };
      for (const model of ['popularity', 'ultragcn', 'ultragcn-features', 'eior'] as const) {
        const run = await runCliJson(['train', '--dataset', d.name, '--model', model, '--seed', String(seed), '--no-tuned'], env);
        cells[model] = cell(run.figures, run.wallSeconds);
        console.error(`${d.name} ${model}: test R@20 ${cells[model]!.recall20.toFixed(4)} N@20 ${cells[model]!.ndcg20.toFixed(4)} (${run.wallSeconds.toFixed(0)} s)`);
      }
      if (tune) {
        const tuned = await runCliJson(['tune', '--dataset', d.name, '--model', 'eior', '--budget', budget, '--seed', String(seed)], env);
        const training = tuned.figures.training as Record<string, unknown> | null;
        if (training) cells['eior tuned'] = cell(training, tuned.wallSeconds);
        tunedSettings = (tuned.figures.best as { settings?: Record<string, unknown> } | null)?.settings ?? null;
      }
      results.push({ dataset: d.name, about: d.about, cells, tunedSettings });
      console.error(`${d.name} done: ${JSON.stringify(cells)}`); // a long run can be read as it goes
    }
  } finally {
    await neo4j.close();
  }
  const f = (c: Cell | undefined) => (c ? `${c.recall20.toFixed(4)} / ${c.ndcg20.toFixed(4)}` : '-');
  const settings = Object.keys(generate).length > 0 ? `, generator settings ${JSON.stringify(generate)}` : '';
  console.log(`\nzoo, seed ${seed}, ${tune ? `tuning budget ${budget}` : 'no tuning'}${settings}: test Recall@20 / NDCG@20 (every choice on validation)\n`);
  console.log(`| dataset | ${ROWS.join(' | ')} | ${tune ? 'EIOR tuned' : 'EIOR'} beats popularity |`);
  console.log(`|---|${ROWS.map(() => '---').join('|')}|---|`);
  for (const r of results) {
    const pop = r.cells.popularity;
    const best = r.cells['eior tuned'] ?? r.cells.eior;
    const beats = pop && best ? (best.recall20 > pop.recall20 && best.ndcg20 > pop.ndcg20 ? 'yes' : 'no') : '-';
    console.log(`| ${r.dataset} | ${ROWS.map((row) => f(r.cells[row])).join(' | ')} | ${beats} |`);
  }
  // how much of each verdict is the split's noise: the test lift's interval over the test users (never used for a choice)
  const words = (l: Lift | null | undefined) => (l?.lift == null ? 'no lift' : `${formatLiftPercent(l.lift)}${l.interval ? ` (${describeInterval(l.interval)})` : ''}`);
  for (const r of results) {
    const best = r.cells['eior tuned'] ?? r.cells.eior;
    if (best) console.log(`${r.dataset}: ${r.cells['eior tuned'] ? 'tuned ' : ''}EIOR's NDCG@20 over popularity: validation ${words(best.validLift)}, test ${words(best.testLift)}`);
  }
  for (const r of results) if (r.tunedSettings) console.log(`${r.dataset}: the tuning's best settings ${JSON.stringify(r.tunedSettings)}`);
  console.log(JSON.stringify({ seed, budget: tune ? budget : null, generate, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
