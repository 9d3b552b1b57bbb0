// New items, two routes, and whether validation can choose between them (issue 13's new-item bar). On planted data a
// share of the items is new in validation (their train edges dropped, their validation edges kept) and another share
// new in test (train and validation edges dropped; the test period is the one whose spurious effect reverses). Each
// new item is ranked among its set's new items, by two routes: the ID route (the ERM backbone's score, where a new
// item's V_i is only what UltraGCN's content neighbours pulled it to) and the content route (the invariance stage's
// content model: the taste user vectors p_u and the projection W the mask was learned with, (W p_u) · (x_i ⊙ m), with
// the learned mask m rounded by the `outliers` rule, or soft). Prints Recall@20 of each route on each set, chance,
// and which route validation would pick. Not used by the product.
//
//   npm run bench:new-items -- [--shapes default,widths,shift-noise,shift,noise (all planted shapes)] [--seeds 1,2,3] [--scale 1] [--generate k=v,...]
//
// --scale multiplies the generator's users, items and interactions (defaults 2,000 / 1,000 / 40,000); --generate adds
// generator settings to every shape's own (e.g. tasteStrength=4,spuriousStrength=4).
import {
  NewItemRoute,
  QUICK_EIOR_PRESET,
  RankingEvaluator,
  Random,
  TIKTOK_PRESET,
  UltraGcn,
  binarizeMask,
  buildItemFeatures,
  fitBackbone,
  learnInvariance,
  resolveUltraGcnConfig,
  selectBackend,
  type RecDataset,
} from '@eior/model';
import { amongItems, edgesOfItems } from './item-sets';
import { PLANTED_SHAPES, shapesFlag, loadData, maskPrecision, withNoiseModality } from './planted';
import { parseGenerateFlag } from '../lib/generate-flag';

const VALID_NEW = 0.1;
const TEST_NEW = 0.2;
const K = 20;

function flag(argv: string[], name: string, fallback: string): string {
  const k = argv.indexOf(name);
  return k >= 0 ? argv[k + 1] : fallback;
}

/** 0 old, 1 new in validation, 2 new in test: a seeded draw of the items. */
function drawNewItems(numItems: number, seed: number): Uint8Array {
  const kind = new Uint8Array(numItems);
  const order = new Random(4242 + seed).permutation(numItems);
  const nValid = Math.round(VALID_NEW * numItems);
  const nTest = Math.round(TEST_NEW * numItems);
  for (const i of order.subarray(0, nValid)) kind[i] = 1;
  for (const i of order.subarray(nValid, nValid + nTest)) kind[i] = 2;
  return kind;
}

/** (W p_u) · (x_i ⊙ m) for every item: the invariance stage's content model, scored as EIOR's new-item route scores. */
function contentScores(route: NewItemRoute, users: Int32Array, numItems: number): Float32Array {
  const out = new Float32Array(users.length * numItems);
  users.forEach((u, r) => {
    for (let i = 0; i < numItems; i++) out[r * numItems + i] = route.content(u, i);
  });
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const shapes = shapesFlag(flag(argv, '--shapes', ''));
  const seeds = flag(argv, '--seeds', '1,2,3').split(',').map(Number);
  const scale = Number(flag(argv, '--scale', '1'));
  if (!(Number.isInteger(scale) && scale >= 1)) throw new Error(`--scale must be an integer >= 1, got ${flag(argv, '--scale', '1')}`);
  const extra = parseGenerateFlag(flag(argv, '--generate', ''));
  await selectBackend({});
  const eior = QUICK_EIOR_PRESET;
  const header = ['shape', 'seed', 'mask prec.', 'chance valid / test', 'valid: ID / content', 'test: ID / content (soft mask)', 'test ratio', 'validation picks'];
  const lines: string[] = [];
  for (const shape of shapes) {
    const { generate, noiseModality } = PLANTED_SHAPES[shape];
    const sized: Record<string, number> = scale === 1 ? {} : { users: 2000 * scale, items: 1000 * scale, interactions: 40_000 * scale };
    const loaded = await loadData('generated', { ...generate, ...extra, ...sized });
    const full = withNoiseModality(loaded.data, noiseModality);
    const planted = loaded.planted!;
    if (!full.trainTimestamps) throw new Error(`${shape}: the generated data has no timestamps`);
    for (const seed of seeds) {
      const kind = drawNewItems(full.numItems, seed);
      const train = edgesOfItems(full.train, kind, (k) => k === 0);
      const data: RecDataset & { trainTimestamps: Float64Array } = {
        ...full,
        train: train.edges,
        valid: edgesOfItems(full.valid, kind, (k) => k !== 2).edges,
        trainTimestamps: Float64Array.from(train.kept, (k) => full.trainTimestamps![k]),
      };
      const validNew = edgesOfItems(full.valid, kind, (k) => k === 1).edges;
      const testNew = edgesOfItems(full.test, kind, (k) => k === 2).edges;
      const cfg = resolveUltraGcnConfig({ useFeatures: true, seed }, TIKTOK_PRESET);
      const backbone = await fitBackbone(data, cfg);
      const learned = await learnInvariance(data, backbone, eior, { trainTimestamps: data.trainTimestamps });
      const x = buildItemFeatures(data.numItems, data.features, { center: cfg.centerFeatures });
      const erm = new UltraGcn(data, backbone.config, { rng: new Random(9) });
      erm.setWeights(backbone.weights);
      const validTester = new RankingEvaluator(data.numUsers, data.numItems, data.train, validNew);
      const testTester = new RankingEvaluator(data.numUsers, data.numItems, data.train, testNew);
      const recall = (tester: RankingEvaluator, want: number, score: (users: Int32Array) => Float32Array): number =>
        tester.evaluate(amongItems(score, kind, want), { ks: [K] }).atK[K].recall;
      const content = (mask: Float32Array) => {
        const route = new NewItemRoute({ users: learned.taste!.users, projection: learned.learnedProjection, stableMask: mask, items: new Int32Array(0), featureDim: cfg.featureDim }, x);
        return (users: Int32Array) => contentScores(route, users, data.numItems);
      };
      const rounded = binarizeMask(learned.learnedMask, 'outliers');
      const id = (users: Int32Array) => erm.scoreAllItems(users);
      const [vId, vContent] = [recall(validTester, 1, id), recall(validTester, 1, content(rounded))];
      const [tId, tContent, tSoft] = [recall(testTester, 2, id), recall(testTester, 2, content(rounded)), recall(testTester, 2, content(learned.learnedMask))];
      erm.dispose();
      const pick = vContent > vId ? 'content' : 'ID';
      const right = (pick === 'content') === tContent > tId;
      const nValid = Math.round(VALID_NEW * data.numItems);
      const nTest = Math.round(TEST_NEW * data.numItems);
      const cells = [
        shape,
        String(seed),
        maskPrecision(learned.learnedMask, planted).toFixed(3),
        `${(K / nValid).toFixed(3)} / ${(K / nTest).toFixed(3)}`,
        `${vId.toFixed(4)} / ${vContent.toFixed(4)}`,
        `${tId.toFixed(4)} / ${tContent.toFixed(4)} (${tSoft.toFixed(4)})`,
        (tContent / tId).toFixed(2),
        `${pick} (${right ? 'the better on test' : 'the worse on test'})`,
      ];
      console.error(cells.join(' | '));
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${lines.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
