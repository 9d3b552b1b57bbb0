// How far above popularity anything can rank the zoo's data (issue: never lose to popularity on data never seen).
// Each zoo shape is generated again with its generating process kept (the items as planted and every user's taste
// p_u, and the latent factors a_u, b_i when ζ > 0), and the splits are ranked by the process's own probabilities,
// P(i | u, period) ∝ π_i · σ(s_e(u, i)) with s_e(u, i) = γ·g_i + τ·(p_u·z_i)/√K + β_e·h_i + ζ·(a_u·b_i)/√L (README
// "Generated data"): no model learned from the interactions can know more. Rows: popularity (train counts, what the
// floor compares with); the process's item part alone (π and σ(γ·g + β̄·h) without the personal part: the best
// ranking that is the same for every user); the process of the training periods (β̄, their mean spurious weight); the
// same without the spurious effect (β 0); the test period's own process (its reversed β). The gap between the item
// part and the whole process is what the personal part is worth on the shape; a row with each user's taste (and
// latent factors) estimated from the user's own train items (everything else of the process known) says how much of
// it the interactions let any model learn.
// Shapes whose generator settings are the same (zoo-wide-mixed, zoo-missing-rows and zoo-string-ids only reshape the
// files of the two-modality default) are ranked once.
//
//   npm run bench:ceiling -- [--datasets zoo-sparse,...|all] [--seeds 1,2,3] [--generate key=number,...]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { PopularityModel, RankingEvaluator, formatLiftPercent, type EdgeList, type RecModel } from '@eior/model';
import { exportFromFiles, generateDataset, spuriousProfile, type GeneratedProcess, type GenerateConfig } from '../../libs/graph/src';
import { flagValue, seedsFlag } from '../lib/bench-args';
import { parseGenerateFlag } from '../lib/generate-flag';
import { ZOO } from '../lib/zoo-datasets';

interface Splits {
  train: EdgeList;
  valid: EdgeList;
  test: EdgeList;
}

/**
 * The generated folder's splits as `exportFromFiles` reads them (the loader every model bench uses), with users and
 * items back at the generator's ids (its files name user u and item i by their indexes), which the process is indexed by.
 */
async function readSplits(dir: string): Promise<Splits> {
  const data = await exportFromFiles(dir, path.basename(dir));
  const users = Int32Array.from(data.userIds, Number);
  const items = Int32Array.from(data.itemIds, Number);
  const generatorIds = (e: EdgeList): EdgeList => ({ users: e.users.map((u) => users[u]), items: e.items.map((i) => items[i]) });
  return { train: generatorIds(data.train), valid: generatorIds(data.valid), test: generatorIds(data.test) };
}

/** log σ(x), without overflow. */
const logSigmoid = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));

/**
 * The personal part of the process as one match θ_u·y_i: y_i = [τ·z_i/√K, ζ·b_i/√L] (the invariant columns and,
 * with ζ > 0, the latent factors) and θ_u = [p_u, a_u], whose prior is N(0, I) throughout.
 */
interface Personal {
  width: number;
  /** Row-major [items, width]. */
  items: Float64Array;
  /** Row-major [users, width]. */
  users: Float64Array;
}

function personalPart(process: GeneratedProcess, config: GenerateConfig): Personal {
  const { invariantFeatures: z, invariantWidth: K } = process.items;
  const latent = process.latent;
  const L = latent?.factors.width ?? 0;
  const width = K + L;
  const tau = config.tasteStrength / Math.sqrt(K);
  const items = new Float64Array(config.items * width);
  const users = new Float64Array(config.users * width);
  for (let i = 0; i < config.items; i++) {
    for (let k = 0; k < K; k++) items[i * width + k] = tau * z[i * K + k];
    for (let k = 0; k < L; k++) items[i * width + K + k] = latent!.factors.weight * latent!.factors.items[i * L + k];
  }
  for (let u = 0; u < config.users; u++) {
    for (let k = 0; k < K; k++) users[u * width + k] = process.tastes[u * K + k];
    for (let k = 0; k < L; k++) users[u * width + K + k] = latent!.users[u * L + k];
  }
  return { width, items, users };
}

/** Ranks by log π_i + log σ(γ·g_i + β·h_i + θ_u·y_i): the process with spurious weight β, with or without the personal part. */
function processRanking(process: GeneratedProcess, config: GenerateConfig, beta: number, personal: Personal | null): RecModel {
  const { popularity: pi, globalScore: g, spuriousScore: h } = process.items;
  const numItems = pi.length;
  const W = personal?.width ?? 0;
  return {
    scoreAllItems(users: Int32Array) {
      const out = new Float32Array(users.length * numItems);
      for (let r = 0; r < users.length; r++) {
        const p = users[r] * W;
        for (let i = 0; i < numItems; i++) {
          let dot = 0;
          for (let k = 0; k < W; k++) dot += personal!.users[p + k] * personal!.items[i * W + k];
          out[r * numItems + i] = Math.log(pi[i]) + logSigmoid(config.invariantStrength * g[i] + dot + beta * h[i]);
        }
      }
      return out;
    },
  } as unknown as RecModel;
}

/**
 * Each user's taste (and latent factors) as well as the user's train items tell it, knowing everything else of the
 * process: the maximum a posteriori θ_u under the prior N(0, I) and the likelihood of the user's n_u train items as
 * draws from P(i | u) ∝ π_i·σ(a_i + θ_u·y_i), a_i = γ·g_i + β·h_i (gradient ascent, `steps` steps). What a model
 * could learn of the user from these interactions at best.
 */
function estimateUsers(process: GeneratedProcess, config: GenerateConfig, personal: Personal, beta: number, train: EdgeList, steps = 60, lr = 0.1): Personal {
  const { popularity: pi, globalScore: g, spuriousScore: h } = process.items;
  const { width: W, items: y } = personal;
  const numItems = pi.length;
  const a = Float64Array.from(g, (gi, i) => config.invariantStrength * gi + beta * h[i]);
  const itemsOf: number[][] = Array.from({ length: config.users }, () => []);
  for (let e = 0; e < train.users.length; e++) itemsOf[train.users[e]].push(train.items[e]);
  const users = new Float64Array(config.users * W);
  const p = new Float64Array(W);
  const grad = new Float64Array(W);
  const expected = new Float64Array(W);
  for (let u = 0; u < config.users; u++) {
    const own = itemsOf[u];
    p.fill(0);
    for (let step = 0; step < steps; step++) {
      for (let k = 0; k < W; k++) grad[k] = -p[k];
      for (const i of own) {
        let dot = 0;
        for (let k = 0; k < W; k++) dot += p[k] * y[i * W + k];
        const s = 1 / (1 + Math.exp(-(a[i] + dot)));
        for (let k = 0; k < W; k++) grad[k] += (1 - s) * y[i * W + k];
      }
      // − n_u · ∂ log Σ_j π_j σ_j = − n_u · Σ_j w_j (1 − σ_j) y_j, w_j = π_j σ_j / Σ π σ
      let total = 0;
      expected.fill(0);
      for (let j = 0; j < numItems; j++) {
        let dot = 0;
        for (let k = 0; k < W; k++) dot += p[k] * y[j * W + k];
        const s = 1 / (1 + Math.exp(-(a[j] + dot)));
        const w = pi[j] * s;
        total += w;
        for (let k = 0; k < W; k++) expected[k] += w * (1 - s) * y[j * W + k];
      }
      for (let k = 0; k < W; k++) p[k] += lr * (grad[k] - (own.length * expected[k]) / total);
    }
    users.set(p, u * W);
  }
  return { width: W, items: y, users };
}

async function main(): Promise<void> {
  const wanted = flagValue('--datasets', 'all');
  const seeds = seedsFlag();
  const generate = parseGenerateFlag(flagValue('--generate', ''));
  // one row per distinct generator setting: the reshaping shapes share the default's interactions
  const shapes = new Map<string, { names: string[]; settings: Record<string, number> }>();
  for (const z of ZOO.filter((d) => wanted === 'all' || wanted.split(',').includes(d.name))) {
    const settings = { ...(z.generate as Record<string, number>), ...generate };
    const key = JSON.stringify(Object.entries(settings).sort());
    const shape = shapes.get(key) ?? { names: [], settings };
    shape.names.push(z.name);
    shapes.set(key, shape);
  }
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'eior-ceiling-'));
  const rows: string[] = [];
  try {
    for (const { names, settings } of shapes.values()) {
      for (const seed of seeds) {
        const dir = path.join(scratch, `${names[0]}-${seed}`);
        const made = await generateDataset(dir, { ...settings, name: names[0], seed }, { keepPlanted: true });
        const config = made.truth.config;
        const process = made.planted!;
        const splits = await readSplits(dir);
        const profile = spuriousProfile(config.environments).map((r) => config.spuriousStrength * r);
        const trainBeta = profile.slice(0, -1).reduce((a, b) => a + b, 0) / config.environments; // periods are drawn uniformly
        const testBeta = profile[profile.length - 1];
        const valid = new RankingEvaluator(config.users, config.items, splits.train, splits.valid);
        const test = new RankingEvaluator(config.users, config.items, splits.train, splits.test);
        const personal = personalPart(process, config);
        const who = process.latent ? 'taste and latent factors' : 'taste';
        const rankings: [string, RecModel][] = [
          ['popularity (train counts)', new PopularityModel(config.users, config.items, splits.train)],
          [`the process's item part alone, β ${trainBeta.toFixed(2)} (no ${who})`, processRanking(process, config, trainBeta, null)],
          [`the process of the training periods, β ${trainBeta.toFixed(2)}`, processRanking(process, config, trainBeta, personal)],
          [`the same, each user's ${who} estimated from their train items`, processRanking(process, config, trainBeta, estimateUsers(process, config, personal, trainBeta, splits.train))],
          // without a planted shift every period has β 0: the rows below would repeat the one above
          ...(config.spuriousStrength === 0
            ? []
            : ([
                ['the process without the spurious effect, β 0', processRanking(process, config, 0, personal)],
                [`the test period's process, β ${testBeta.toFixed(2)}`, processRanking(process, config, testBeta, personal)],
              ] as [string, RecModel][])),
        ];
        let base: { v: number; r: number; n: number } | null = null;
        for (const [name, model] of rankings) {
          const v = valid.evaluate(model, { ks: [20] }).atK[20].ndcg;
          const t = test.evaluate(model, { ks: [20] }).atK[20];
          base ??= { v, r: t.recall, n: t.ndcg };
          const lift = (x: number, b: number) => formatLiftPercent(x / b - 1);
          rows.push(`| ${names.join(', ')} | ${seed} | ${name} | ${v.toFixed(4)} (${lift(v, base.v)}) | ${t.recall.toFixed(4)} / ${t.ndcg.toFixed(4)} (${lift(t.recall, base.r)} / ${lift(t.ndcg, base.n)}) |`);
        }
        console.error(`${names[0]} seed ${seed} ranked`);
      }
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  const settings = Object.keys(generate).length > 0 ? `, generator settings ${JSON.stringify(generate)}` : '';
  console.log(`\nthe zoo's ceiling: its generating process against popularity${settings} (in brackets: over popularity)\n`);
  console.log('| dataset | seed | ranking | valid NDCG@20 | test Recall@20 / NDCG@20 |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
