// What the zoo's test period rewards and what validation can see (issue: never lose to popularity on data never seen).
// Generated data takes its test pairs from a period in which the planted spurious effect reverses, while validation
// is drawn from the training periods. This bench fits one user-independent item prior, s_i = b_i + x_i · w (a bias
// per item and a linear content covariate, trained together by softmax likelihood over the train pairs), and ranks
// with it in four ways: popularity (train counts), the whole prior, the prior without its content term (b alone:
// popularity with what content explains taken out), and b plus the planted invariant columns' share of x · w (an
// oracle mask). Each line prints validation NDCG@20 and test Recall@20 / NDCG@20, so one table shows whether the
// ranking validation prefers is the one test prefers.
//
//   npm run bench:shift -- \
//     [--datasets zoo-sparse,zoo-dense,...|all] [--seed 1] [--dir bench/results/zoo] [--steps 1500]
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Adam, PopularityModel, RankingEvaluator, buildItemFeatures, selectBackend, type EdgeList, type RecModel } from '@eior/model';
import { ZOO, makeZooDataset } from '../lib/zoo-datasets';
import { loadData } from './planted';

/** L2 weights on ½‖b‖² and ½‖w‖², against a mean log-likelihood per train pair. */
const BIAS_GAMMA = 1e-3;
const CONTENT_GAMMA = 1e-4;
const LR = 0.05;

interface Prior {
  b: Float64Array;
  /** x_i · w per item, and the same restricted to a set of columns. */
  content: Float64Array;
  contentOn: (columns: Set<number>) => Float64Array;
}

function fitPrior(numItems: number, x: { width: number; data: Float32Array }, train: EdgeList, steps: number): Prior {
  const d = x.width;
  const counts = new Float64Array(numItems);
  for (const i of train.items) counts[i]++;
  const n = train.items.length;
  const b = { name: 'b', value: new Float32Array(numItems), grad: new Float32Array(numItems), gamma: BIAS_GAMMA };
  const w = { name: 'w', value: new Float32Array(d), grad: new Float32Array(d), gamma: CONTENT_GAMMA };
  const adam = new Adam([b, w], { lr: LR, gamma: 0 });
  const s = new Float64Array(numItems);
  for (let step = 0; step < steps; step++) {
    let max = -Infinity;
    for (let i = 0; i < numItems; i++) {
      let v = b.value[i];
      for (let c = 0; c < d; c++) v += x.data[i * d + c] * w.value[c];
      s[i] = v;
      if (v > max) max = v;
    }
    let z = 0;
    for (let i = 0; i < numItems; i++) z += s[i] = Math.exp(s[i] - max);
    // minimise the mean negative log-likelihood: ∂/∂s_i = p_i − c_i / n
    for (let i = 0; i < numItems; i++) {
      const g = s[i] / z - counts[i] / n;
      b.grad[i] = g;
      for (let c = 0; c < d; c++) w.grad[c] += g * x.data[i * d + c];
    }
    adam.step();
  }
  const contentOn = (columns: Set<number>) => {
    const out = new Float64Array(numItems);
    for (let i = 0; i < numItems; i++) for (const c of columns) out[i] += x.data[i * d + c] * w.value[c];
    return out;
  };
  return { b: Float64Array.from(b.value), content: contentOn(new Set(Array.from({ length: d }, (_, c) => c))), contentOn };
}

/** The same item scores for every user. */
function itemRanking(numItems: number, score: Float64Array): RecModel {
  return {
    scoreAllItems(users: Int32Array | number[]) {
      const out = new Float32Array(users.length * numItems);
      for (let r = 0; r < users.length; r++) for (let i = 0; i < numItems; i++) out[r * numItems + i] = score[i];
      return out;
    },
  } as unknown as RecModel;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (flag: string) => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const wanted = get('--datasets') ?? 'all';
  const seed = Number(get('--seed') ?? 1);
  const steps = Number(get('--steps') ?? 1500);
  const home = path.resolve(get('--dir') ?? path.join('bench', 'results', 'zoo'));
  const backend = await selectBackend();
  const rows: string[] = [];
  for (const z of ZOO.filter((d) => wanted === 'all' || wanted.split(',').includes(d.name))) {
    const dir = path.join(home, `${z.name}-${seed}`);
    await fs.mkdir(dir, { recursive: true });
    await makeZooDataset(z, dir, seed);
    const { data, planted } = await loadData(dir, {});
    if (!planted) throw new Error(`${dir} has no truth.json: the bench needs the planted columns`);
    const x = buildItemFeatures(data.numItems, data.features, { center: true });
    const started = performance.now();
    const prior = fitPrior(data.numItems, x, data.train, steps);
    const seconds = (performance.now() - started) / 1000;
    const valid = new RankingEvaluator(data.numUsers, data.numItems, data.train, data.valid);
    const test = new RankingEvaluator(data.numUsers, data.numItems, data.train, data.test);
    const invariant = prior.contentOn(planted.invariantColumns);
    const rankings: [string, RecModel][] = [
      ['popularity (train counts)', new PopularityModel(data.numUsers, data.numItems, data.train)],
      ['prior b + x·w (what pooled risk learns)', itemRanking(data.numItems, prior.b.map((v, i) => v + prior.content[i]))],
      ['prior without content, b alone', itemRanking(data.numItems, prior.b)],
      ['b + planted invariant columns of x·w (oracle)', itemRanking(data.numItems, prior.b.map((v, i) => v + invariant[i]))],
    ];
    for (const [name, model] of rankings) {
      const v = valid.evaluate(model, { ks: [20] }).atK[20];
      const t = test.evaluate(model, { ks: [20] }).atK[20];
      rows.push(`| ${z.name} | ${name} | ${v.ndcg.toFixed(4)} | ${t.recall.toFixed(4)} | ${t.ndcg.toFixed(4)} |`);
    }
    console.error(`${z.name}: prior fitted in ${seconds.toFixed(1)} s (${steps} steps, ${x.width} columns)`);
  }
  console.log(`\nshift headroom, seed ${seed}, backend ${backend.name}: validation (training periods) against test (the period where the spurious effect reverses)\n`);
  console.log('| dataset | ranking | valid NDCG@20 | test Recall@20 | test NDCG@20 |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
