// The paper's claim, measured (docs/method.md#experiment-grid): every row on the same data, protocol and
// budget, several seeds, figures on test after selection on validation. On generated data (a reversed-correlation
// test period) it also reports how well the learned mask finds the planted invariant columns and the mean α_I on
// training-period pairs versus test-period pairs. Prints one markdown table and a JSON line; writes
// bench/results/ablation-<data>.json.
//
//   npm run bench:ablation -- [--data tiktok|generated|DIR] [--seeds 1,2,3] [--rows all|popularity,erm,...,invrl-oracle,eior-oracle]
//     [--epochs N (backbone)] [--final-epochs N] [--set section.key=value,...] [--verbose]
//     [--generate key=value,...]   (settings of the generated data, e.g. spuriousStrength=4; see eior generate)
//     [--backbone-set key=value,...]   (the ERM backbone: TIKTOK_PRESET with these, e.g. projectionGamma=0.02)
//     [--tag NAME]   (appended to the results' file name)
//   npm run bench:ablation -- --from-json bench/results/a.json,bench/results/b.json   (the table of saved results)
//     [--cold-items F]   (drop the train and validation edges of a random share F of the items: their test
//                         pairs are cold, so only content can rank them; reported as a separate column)
//   e.g. --data generated --set environments.source=time,mask.epochs=40
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  PopularityModel,
  QUICK_EIOR_PRESET,
  RankingEvaluator,
  TIKTOK_PRESET,
  fitBackbone,
  fitFinal,
  fitUltraGcn,
  learnInvariance,
  resolveEiorConfig,
  resolveUltraGcnConfig,
  selectBackend,
  EiorModel,
  computeExplanationHealth,
  Random,
  UltraGcn,
  type BackboneStage,
  type EdgeList,
  type RecModel,
  type EiorConfig,
  type EvaluationResult,
  type Invariance,
  type InvariancePenalty,
  type RecDataset,
  type UltraGcnConfig,
} from '@eior/model';
import { parseUltraGcnSet } from '../../apps/cli/src/training/model-kinds';
import { alphaProfile } from './alpha-profile';
import { amongItems, edgesOfItems } from './item-sets';
import { loadData, maskMeans, maskPrecision, plantedMask, type Planted } from './planted';
import { parseGenerateFlag } from '../lib/generate-flag';

interface Row {
  name: string;
  description: string;
}

const ROWS: Row[] = [
  { name: 'popularity', description: 'popularity' },
  { name: 'ultragcn-ids', description: 'UltraGCN, ID only' },
  { name: 'erm', description: 'UltraGCN with features (ERM)' },
  { name: 'invrl', description: 'InvRL: invariant only' },
  { name: 'variant', description: 'variant only' },
  { name: 'eior-fixed', description: 'EIOR, fixed (0.5, 0.5)' },
  { name: 'eior-global', description: 'EIOR, one global learned pair' },
  { name: 'eior', description: 'EIOR, per-pair self-attention (main)' },
  { name: 'eior-irmv1', description: 'EIOR, IRMv1 penalty' },
  { name: 'eior-vrex', description: 'EIOR, V-REx penalty' },
  // planted data only: the mask is the planted invariant columns (1) and nothing else (0), an upper bound of
  // what any learned mask can give; environments as the main row's
  { name: 'invrl-oracle', description: 'InvRL with the planted mask (oracle)' },
  { name: 'eior-oracle', description: 'EIOR with the planted mask (oracle)' },
];

interface Args {
  data: string;
  seeds: number[];
  rows: string[];
  epochs?: number;
  finalEpochs?: number;
  /** Overrides of the EIOR config (QUICK_EIOR_PRESET), by section. */
  eiorOverrides: Record<'environments' | 'mask' | 'fusion', Record<string, string | number | boolean>>;
  /** Settings of the generated dataset beyond the defaults. */
  generate: Record<string, number>;
  /** The ERM backbone's settings: TIKTOK_PRESET with these overrides. */
  backboneOverrides: Partial<UltraGcnConfig>;
  coldItems: number;
  /** Appended to the results' name, to keep runs with other settings apart. */
  tag: string;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const rows = get('--rows') ?? 'all';
  // `all` is the grid of docs/method.md#experiment-grid; the oracle rows (planted data only) are asked for by name, e.g. all,invrl-oracle
  const grid = ROWS.filter((r) => !r.name.endsWith('-oracle')).map((r) => r.name);
  const names = [...new Set(rows.split(',').flatMap((n) => (n === 'all' ? grid : [n])))];
  for (const n of names) if (!ROWS.some((r) => r.name === n)) throw new Error(`--rows: "${n}" is not one of ${ROWS.map((r) => r.name).join(', ')}`);
  const num = (flag: string) => (get(flag) === undefined ? undefined : Number(get(flag)));
  const eiorOverrides: Args['eiorOverrides'] = { environments: {}, mask: {}, fusion: {} };
  for (const pair of (get('--set') ?? '').split(',').filter((x) => x !== '')) {
    const [key, raw] = pair.split('=');
    const [section, field] = key.split('.');
    if (!(section in eiorOverrides) || !field || raw === undefined) throw new Error(`--set: "${pair}" is not section.key=value with section environments, mask or fusion`);
    const value = raw === 'true' ? true : raw === 'false' ? false : Number.isNaN(Number(raw)) ? raw : Number(raw);
    eiorOverrides[section as keyof Args['eiorOverrides']][field] = value;
  }
  const generate = parseGenerateFlag(get('--generate') ?? '');
  // the same parsing as `eior train --set`: keys of the preset, values of their types
  const backboneOverrides = parseUltraGcnSet(get('--backbone-set') ?? '', TIKTOK_PRESET, '--backbone-set');
  return { backboneOverrides, data: get('--data') ?? 'tiktok', seeds: (get('--seeds') ?? '1,2,3').split(',').map(Number), rows: names, epochs: num('--epochs'), finalEpochs: num('--final-epochs'), eiorOverrides, generate, coldItems: num('--cold-items') ?? 0, tag: get('--tag') ?? '', verbose: argv.includes('--verbose') };
}

/** The data with the train and validation edges of a random share of the items removed, and their test pairs. */
function withColdItems(data: RecDataset & { trainTimestamps?: Float64Array }, share: number): { data: RecDataset & { trainTimestamps?: Float64Array }; coldTest: EdgeList } {
  const rng = new Random(4242);
  const cold = new Uint8Array(data.numItems);
  for (const i of rng.permutation(data.numItems).subarray(0, Math.round(share * data.numItems))) cold[i] = 1;
  const keep = (edges: EdgeList, want: boolean) => edgesOfItems(edges, cold, (set) => (set === 1) === want);
  const train = keep(data.train, false);
  return {
    data: {
      ...data,
      train: train.edges,
      valid: keep(data.valid, false).edges,
      trainTimestamps: data.trainTimestamps ? Float64Array.from(train.kept, (k) => data.trainTimestamps![k]) : undefined,
    },
    coldTest: keep(data.test, true).edges,
  };
}

interface RowResult {
  row: string;
  seed: number;
  test: Record<string, number>;
  seconds: number;
  extra?: Record<string, number>;
}

const table = (r: EvaluationResult): Record<string, number> => ({
  'recall@10': r.atK[10].recall,
  'recall@20': r.atK[20].recall,
  'ndcg@10': r.atK[10].ndcg,
  'ndcg@20': r.atK[20].ndcg,
});

/** Mean α_I over (at most 3,000 evenly spaced) pairs of an edge list. */
function meanAlpha(model: EiorModel, edges: { users: Int32Array; items: Int32Array }): number {
  const n = edges.users.length;
  const step = Math.max(1, Math.floor(n / 3000));
  let sum = 0;
  let count = 0;
  for (let k = 0; k < n; k += step) {
    sum += model.explain(edges.users[k], edges.items[k]).invariantWeight;
    count++;
  }
  return sum / Math.max(count, 1);
}

async function runSeed(
  seed: number,
  data: RecDataset & { trainTimestamps?: Float64Array },
  planted: Planted | null,
  args: Args,
  coldTest: EdgeList | null,
  onRow: (row: RowResult) => Promise<void>,
): Promise<void> {
  const out = { push: async (row: RowResult) => onRow(row) };
  const coldTester = coldTest && coldTest.users.length > 0 ? new RankingEvaluator(data.numUsers, data.numItems, data.train, coldTest) : null;
  const coldItems = new Uint8Array(data.numItems);
  if (coldTest) for (const i of coldTest.items) coldItems[i] = 1;
  /**
   * Recall@20 of the cold items' test pairs when each user's cold test items are ranked among the cold items only
   * (the new-video question: which of the new ones will this user like?); among all items no model lifts a cold
   * item into a top 20 here, so that figure is 0 for every row.
   */
  const cold = (model: RecModel): Record<string, number> => {
    if (!coldTester) return {};
    return { coldRecall20: coldTester.evaluate(amongItems((users) => model.scoreAllItems(users), coldItems, 1)).atK[20].recall };
  };
  const wants = (row: string) => args.rows.includes(row);
  const log = (line: string) => console.error(`[seed ${seed}] ${line}`);
  const tester = new RankingEvaluator(data.numUsers, data.numItems, data.train, data.test);
  const backboneConfig: UltraGcnConfig = resolveUltraGcnConfig({ ...args.backboneOverrides, seed, ...(args.epochs ? { epochs: args.epochs } : {}) }, TIKTOK_PRESET);
  const verbose = args.verbose ? { onEpoch: (e: { epoch: number; valid?: Record<number, { ndcg: number }> }) => e.valid && log(`epoch ${e.epoch} valid ndcg@20 ${e.valid[20].ndcg.toFixed(4)}`) } : {};

  if (wants('popularity')) {
    const started = performance.now();
    const model = new PopularityModel(data.numUsers, data.numItems, data.train);
    await out.push({ row: 'popularity', seed, test: table(tester.evaluate(model)), seconds: (performance.now() - started) / 1000, extra: cold(model) });
  }
  if (wants('ultragcn-ids')) {
    const started = performance.now();
    const { model, result } = await fitUltraGcn(data, { ...backboneConfig, useFeatures: false }, verbose);
    const extra = cold(model);
    model.dispose();
    await out.push({ row: 'ultragcn-ids', seed, test: table(result.test), seconds: (performance.now() - started) / 1000, extra });
    log(`ultragcn-ids recall@20 ${result.test.atK[20].recall.toFixed(4)}`);
  }
  const needsInvariance = args.rows.some((r) => !['popularity', 'ultragcn-ids', 'erm'].includes(r));
  if (!wants('erm') && !needsInvariance) return;
  const backbone: BackboneStage = await fitBackbone(data, backboneConfig, verbose);
  log(`erm recall@20 ${backbone.result.test.atK[20].recall.toFixed(4)} (${backbone.seconds.toFixed(1)} s)`);
  if (wants('erm')) {
    const erm = new UltraGcn(data, backbone.config, { rng: new Random(seed) });
    erm.setWeights(backbone.weights);
    await out.push({ row: 'erm', seed, test: table(backbone.result.test), seconds: backbone.seconds, extra: cold(erm) });
    erm.dispose();
  }

  const { environments, mask, fusion: fusionSet } = args.eiorOverrides;
  const eiorConfig = (penalty: InvariancePenalty): EiorConfig =>
    resolveEiorConfig(
      // IRMv1 and V-REx rows learn the mask against their penalty; the main row takes the preset's estimator
      { environments, mask: { ...mask, penalty, ...(penalty !== 'variance' ? { estimator: 'penalty' as const } : {}) }, fusion: { ...fusionSet, ...(args.finalEpochs ? { epochs: args.finalEpochs } : {}) } },
      QUICK_EIOR_PRESET,
    );
  const invariances = new Map<InvariancePenalty, { invariance: Invariance; seconds: number }>();
  const invarianceFor = async (penalty: InvariancePenalty) => {
    const known = invariances.get(penalty);
    if (known) return known;
    const started = performance.now();
    const invariance = await learnInvariance(data, backbone, eiorConfig(penalty), { trainTimestamps: data.trainTimestamps });
    const seconds = (performance.now() - started) / 1000;
    const means = planted ? Object.entries(maskMeans(invariance.mask, planted)).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ') : '';
    log(`invariance (${penalty}): ${seconds.toFixed(1)} s, mask kept ${invariance.mask.filter((m) => m > 0.5).length}/${invariance.mask.length}${planted ? `, top precision ${maskPrecision(invariance.learnedMask, planted).toFixed(3)}, ${means}` : ''}`);
    const entry = { invariance, seconds };
    invariances.set(penalty, entry);
    return entry;
  };

  const finals: [string, 'invrl' | 'variant' | 'eior', InvariancePenalty, Partial<EiorConfig['fusion']>][] = [
    ['invrl', 'invrl', 'variance', {}],
    ['variant', 'variant', 'variance', {}],
    ['eior-fixed', 'eior', 'variance', { kind: 'fixed' }],
    ['eior-global', 'eior', 'variance', { kind: 'global' }],
    ['eior', 'eior', 'variance', { kind: 'attention' }],
    ['eior-irmv1', 'eior', 'irmv1', { kind: 'attention' }],
    ['eior-vrex', 'eior', 'vrex', { kind: 'attention' }],
    ['invrl-oracle', 'invrl', 'variance', {}],
    ['eior-oracle', 'eior', 'variance', { kind: 'attention' }],
  ];
  for (const [row, kind, penalty, fusion] of finals) {
    if (!wants(row)) continue;
    const oracle = row.endsWith('-oracle');
    if (oracle && !planted) throw new Error(`--rows ${row}: the data has no truth.json, so there is no planted mask`);
    const learned = await invarianceFor(penalty);
    const invarianceSeconds = learned.seconds;
    const oracleMask = oracle ? plantedMask(learned.invariance.mask.length, planted!) : null;
    const invariance = oracleMask ? { ...learned.invariance, mask: oracleMask, learnedMask: oracleMask } : learned.invariance;
    const base = eiorConfig(penalty);
    const config = { ...base, fusion: { ...base.fusion, ...fusion } };
    const fit = await fitFinal(kind, data, backbone, config, invariance, verbose);
    const extra: Record<string, number> = { invarianceSeconds, finalSeconds: fit.seconds, bestEpoch: fit.result.bestEpoch, ...cold(fit.model) };
    // precision ranks the learned values (a rounded mask has ties); the means are of the mask the final model used
    if (planted) Object.assign(extra, { maskPrecision: maskPrecision(invariance.learnedMask, planted), ...maskMeans(invariance.mask, planted) });
    if (fit.model instanceof EiorModel) {
      extra.alphaTrain = meanAlpha(fit.model, data.train);
      extra.alphaTest = meanAlpha(fit.model, data.test);
      Object.assign(extra, alphaProfile(fit.model, data.test, data.train, data.numUsers, data.numItems));
      log(`${row} α_I on test pairs: p5 ${extra.alphaP5.toFixed(3)} p25 ${extra.alphaP25.toFixed(3)} p50 ${extra.alphaP50.toFixed(3)} p75 ${extra.alphaP75.toFixed(3)} p95 ${extra.alphaP95.toFixed(3)}; Spearman with item degree ${extra.alphaItemDegreeRho.toFixed(3)}, user degree ${extra.alphaUserDegreeRho.toFixed(3)}, content share of s_I ${extra.alphaContentShareRho.toFixed(3)}; mean on rarest / most popular quarter of items ${extra.alphaRareItems.toFixed(3)} / ${extra.alphaPopularItems.toFixed(3)}`);
      // the explanation-health figures `eior train` stores with the version (docs/method.md#explanation-health)
      const health = computeExplanationHealth(fit.model, data, { mask: invariance.mask, learnedMask: invariance.learnedMask });
      Object.assign(extra, {
        healthContentShare: health.shares?.content ?? Number.NaN,
        healthAlphaStd: health.alpha?.std ?? Number.NaN,
        healthAlphaP5: health.alpha?.p5 ?? Number.NaN,
        healthAlphaP95: health.alpha?.p95 ?? Number.NaN,
        healthMaskKept: health.mask?.kept ?? Number.NaN,
        healthMaskStable: health.mask?.stable ?? Number.NaN,
        healthFlags: health.flags.length,
      });
      log(`${row} health: content ${(100 * extra.healthContentShare).toFixed(2)} %, α_I std ${extra.healthAlphaStd.toFixed(4)} (p5 ${extra.healthAlphaP5.toFixed(3)}, p95 ${extra.healthAlphaP95.toFixed(3)}), mask kept ${(100 * extra.healthMaskKept).toFixed(1)} %, ${extra.healthMaskStable} stable, flags ${health.flags.map((f) => f.code).join(', ') || 'none'}`);
      if (coldTest && coldTest.users.length > 0) {
        // α_I on the test pairs of new items against those of items seen in training
        extra.alphaNew = meanAlpha(fit.model, coldTest);
        const old = [...data.test.items.keys()].filter((k) => !coldItems[data.test.items[k]]);
        extra.alphaOld = meanAlpha(fit.model, { users: Int32Array.from(old, (k) => data.test.users[k]), items: Int32Array.from(old, (k) => data.test.items[k]) });
      }
    }
    fit.model.dispose();
    // a row's training time: the ERM backbone it starts from, its invariance stage, and its own fit
    await out.push({ row, seed, test: table(fit.result.test), seconds: backbone.seconds + invarianceSeconds + fit.seconds, extra });
    log(`${row} ${JSON.stringify(table(fit.result.test))}`);
    log(`${row} recall@20 ${fit.result.test.atK[20].recall.toFixed(4)} (${fit.seconds.toFixed(1)} s${extra.alphaTest !== undefined ? `, α_I train ${extra.alphaTrain.toFixed(3)} test ${extra.alphaTest.toFixed(3)}` : ''}${extra.alphaNew !== undefined ? `, α_I new items ${extra.alphaNew.toFixed(3)} old ${extra.alphaOld.toFixed(3)}` : ''}${extra.coldRecall20 !== undefined ? `, new items recall@20 ${extra.coldRecall20.toFixed(4)}` : ''})`);
  }
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}

function markdown(results: RowResult[], dataName: string, seeds: number[], planted: boolean): string {
  const metrics = ['recall@10', 'recall@20', 'ndcg@10', 'ndcg@20'];
  const hasCold = results.some((r) => r.extra?.coldRecall20 !== undefined);
  const header = ['model', ...metrics.map((m) => `${m.replace('recall', 'Recall').replace('ndcg', 'NDCG')}`), ...(hasCold ? ['cold items Recall@20 (among cold)'] : []), 'train s', ...(planted ? ['mask prec.', 'α_I train / test'] : ['α_I train / test'])];
  const lines = [`${dataName}, test split, mean ± std over seeds ${seeds.join(', ')}`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of ROWS) {
    const rs = results.filter((r) => r.row === row.name);
    if (rs.length === 0) continue;
    const cells = metrics.map((m) => {
      const { mean, std } = meanStd(rs.map((r) => r.test[m]));
      return `${mean.toFixed(4)} ± ${std.toFixed(4)}`;
    });
    const seconds = meanStd(rs.map((r) => r.seconds)).mean.toFixed(0);
    const extra = (key: string) => (rs[0].extra?.[key] === undefined ? null : meanStd(rs.map((r) => r.extra![key])).mean);
    const alpha = extra('alphaTrain') === null ? '' : `${extra('alphaTrain')!.toFixed(3)} / ${extra('alphaTest')!.toFixed(3)}`;
    const precision = extra('maskPrecision') === null ? '' : extra('maskPrecision')!.toFixed(3);
    const coldCell = hasCold ? (() => {
      const { mean, std } = meanStd(rs.map((r) => r.extra?.coldRecall20 ?? Number.NaN));
      return `${mean.toFixed(4)} ± ${std.toFixed(4)} | `;
    })() : '';
    lines.push(`| ${row.description} | ${cells.join(' | ')} | ${coldCell}${seconds} | ${planted ? `${precision} | ` : ''}${alpha} |`);
  }
  return lines.join('\n');
}

/**
 * `--from-json a.json,b.json`: the table of results already written (runs cut short, or seeds run in separate
 * processes), with nothing trained. Rows of the same seed from two files are an error.
 */
async function tableFromFiles(files: string[]): Promise<void> {
  const results: RowResult[] = [];
  let name = '';
  for (const file of files) {
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { data: string; results: RowResult[] };
    name ||= saved.data;
    for (const r of saved.results) {
      if (results.some((k) => k.row === r.row && k.seed === r.seed)) throw new Error(`${file}: row ${r.row} of seed ${r.seed} is in an earlier file too`);
      results.push(r);
    }
  }
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  const planted = results.some((r) => r.extra?.maskPrecision !== undefined);
  console.log(markdown(results, name, seeds, planted));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const fromJson = argv.indexOf('--from-json');
  if (fromJson >= 0) return tableFromFiles((argv[fromJson + 1] ?? '').split(',').filter((f) => f !== ''));
  const args = parseArgs(argv);
  const backend = await selectBackend({});
  const loaded = await loadData(args.data, args.generate);
  const { planted } = loaded;
  const { data, coldTest } = args.coldItems > 0 ? withColdItems(loaded.data, args.coldItems) : { data: loaded.data, coldTest: null };
  const name = `${loaded.name}${args.coldItems > 0 ? `-cold${args.coldItems}` : ''}${args.tag ? `-${args.tag}` : ''}`;
  console.error(`${name}: ${data.numUsers} users, ${data.numItems} items, ${data.train.users.length}/${data.valid.users.length}/${data.test.users.length} train/valid/test; backend ${backend.name}`);
  const results: RowResult[] = [];
  if (coldTest) console.error(`cold items: ${args.coldItems * 100} % of the items lose their train and validation edges; ${coldTest.users.length} test pairs on them`);
  const file = path.resolve('bench', 'results', `ablation-${name}.json`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  // each finished row is written at once, so a run cut short keeps what it measured
  const save = (partial: boolean) => fs.writeFile(file, `${JSON.stringify({ data: name, seeds: args.seeds, partial, results }, null, 2)}\n`);
  for (const seed of args.seeds) {
    await runSeed(seed, data, planted, args, coldTest, async (row) => {
      results.push(row);
      await save(true);
    });
  }
  await save(false);
  const settings = Object.entries(args.eiorOverrides).flatMap(([section, values]) => Object.entries(values).map(([k, v]) => `${section}.${k}=${v}`));
  const backboneSettings = Object.entries(args.backboneOverrides).map(([k, v]) => `${k}=${v}`);
  const text = `${markdown(results, name, args.seeds, planted !== null)}\n\nBackbone: TIKTOK_PRESET${backboneSettings.length ? ` with ${backboneSettings.join(', ')}` : ''}; EIOR settings: QUICK_EIOR_PRESET${settings.length ? ` with ${settings.join(', ')}` : ''}`;
  console.log(text);
  console.log(JSON.stringify({ data: name, seeds: args.seeds, rows: results.length }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
