// How well the invariance stage finds the planted invariant columns, with the settings `eior train` uses unless
// told otherwise: per planted shape and seed, the mask precision (share of the top-k columns by learned value that
// are planted invariant, k = the planted count; on a shape with an added noise block also with that block set
// aside), the mean mask over invariant / spurious / noise columns, the columns the mask keeps by planted group, the
// environments' sizes, and what the frozen backbone hands the mask learner. Backbones are cached on disk
// (probe-backbones.ts), so mask settings can be compared without retraining them.
//
//   npm run bench:mask -- [--shapes default,widths,shift-noise,shift,noise (all planted shapes)] [--seeds 1,2,3] [--set section.key=value,...]
//     [--backbone-set key=value,...] [--epochs N (backbone)] [--generate key=value,... (on top of each shape's)] [--tag NAME]
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { QUICK_EIOR_PRESET, TIKTOK_PRESET, buildItemFeatures, fitBackbone, learnInvariance, resolveEiorConfig, resolveUltraGcnConfig, selectBackend } from '@eior/model';
import { parseUltraGcnSet } from '../../apps/cli/src/training/model-kinds';
import { PLANTED_SHAPES, shapesFlag, loadData, maskMeans, maskPrecision, topColumns, withNoiseModality, type Planted } from './planted';
import { parseGenerateFlag } from '../lib/generate-flag';
import { probeBackbone } from './probe-backbones';

function parse(argv: string[]) {
  const get = (flag: string): string | undefined => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const overrides: Record<'environments' | 'mask' | 'fusion', Record<string, string | number | boolean>> = { environments: {}, mask: {}, fusion: {} };
  for (const pair of (get('--set') ?? '').split(',').filter((x) => x !== '')) {
    const [key, raw] = pair.split('=');
    const [section, field] = key.split('.');
    if (!(section in overrides) || !field || raw === undefined) throw new Error(`--set: "${pair}" is not section.key=value with section environments, mask or fusion`);
    overrides[section as keyof typeof overrides][field] = raw === 'true' ? true : raw === 'false' ? false : Number.isNaN(Number(raw)) ? raw : Number(raw);
  }
  const shapes = shapesFlag(get('--shapes'));
  const backboneSet = get('--backbone-set') ?? '';
  const generate = parseGenerateFlag(get('--generate') ?? '');
  return { shapes, seeds: (get('--seeds') ?? '1,2,3').split(',').map(Number), overrides, backboneSet, backbone: parseUltraGcnSet(backboneSet, TIKTOK_PRESET, '--backbone-set'), epochs: get('--epochs') ? Number(get('--epochs')) : undefined, generate, tag: get('--tag') ?? '' };
}

/**
 * Cramér's V between the inferred environment of each train edge and the planted period it came from (its
 * timestamp's period): 0 when the environments ignore the periods, 1 when they are the periods.
 */
function periodAssociation(assignment: Int32Array, timestamps: Float64Array | undefined, E: number): number {
  if (!timestamps) return Number.NaN;
  const t0 = Math.min(...timestamps);
  const period = Array.from(timestamps, (t) => Math.floor((t - t0) / (30 * 24 * 3600)));
  const P = Math.max(...period) + 1;
  const counts = new Float64Array(E * P);
  assignment.forEach((e, k) => counts[e * P + period[k]]++);
  const n = assignment.length;
  const rowSum = Array.from({ length: E }, (_, e) => counts.subarray(e * P, (e + 1) * P).reduce((a, b) => a + b, 0));
  const colSum = Array.from({ length: P }, (_, p) => rowSum.reduce((a, _r, e) => a + counts[e * P + p], 0));
  let chi2 = 0;
  for (let e = 0; e < E; e++) for (let p = 0; p < P; p++) {
    const expected = (rowSum[e] * colSum[p]) / n;
    if (expected > 0) chi2 += (counts[e * P + p] - expected) ** 2 / expected;
  }
  return Math.sqrt(chi2 / (n * Math.max(1, Math.min(E, P) - 1)));
}

const rms = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / Math.max(a.length, 1));

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  await selectBackend({});
  const rows: Record<string, unknown>[] = [];
  for (const shape of args.shapes) {
    const { generate, noiseModality } = PLANTED_SHAPES[shape];
    const loaded = await loadData('generated', { ...generate, ...args.generate });
    // backbones are cached by this label, so another generator setting gets backbones of its own
    const label = [shape, ...Object.entries(args.generate).map(([k, v]) => `${k}-${v}`)].join('-');
    const data = withNoiseModality(loaded.data, noiseModality);
    const planted = loaded.planted!;
    const { blocks } = buildItemFeatures(data.numItems, data.features);
    for (const seed of args.seeds) {
      const config = resolveUltraGcnConfig({ ...args.backbone, seed, ...(args.epochs ? { epochs: args.epochs } : {}) }, TIKTOK_PRESET);
      const backbone = await probeBackbone(label, seed, args.backboneSet, config, () => fitBackbone(data, config));
      const eior = resolveEiorConfig(args.overrides, QUICK_EIOR_PRESET);
      const started = performance.now();
      const inv = await learnInvariance(data, backbone, eior, { trainTimestamps: data.trainTimestamps });
      const seconds = (performance.now() - started) / 1000;
      const user = backbone.weights.get('user')!;
      const width = config.idDim + config.featureDim;
      const uid: number[] = [];
      const uf: number[] = [];
      for (let k = 0; k < user.length; k++) ((k % width) < config.idDim ? uid : uf).push(user[k]);
      const sizes = Array.from({ length: inv.numEnvironments }, (_, e) => inv.assignment.filter((a) => a === e).length);
      const last = inv.maskEpochs[inv.maskEpochs.length - 1] ?? [];
      const row = {
        shape,
        seed,
        precision: maskPrecision(inv.learnedMask, planted),
        // with the added noise block set aside: what the item counts cannot separate (bench:identifiability) left out
        precisionWithoutAdded: noiseModality > 0 ? maskPrecision(withoutBlock(inv.learnedMask, blocks[blocks.length - 1]), planted) : Number.NaN,
        ...maskMeans(inv.learnedMask, planted),
        kept: inv.mask.filter((m) => m > 0.5).length / inv.mask.length,
        keptColumns: keptByGroup(inv.mask, planted),
        topOthers: othersInTop(inv.learnedMask, planted, blocks),
        maskStd: rms(Float32Array.from(inv.learnedMask, (m) => m - inv.learnedMask.reduce((a, b) => a + b, 0) / inv.learnedMask.length)),
        envSizes: sizes.join('/'),
        periodV: periodAssociation(inv.assignment, data.trainTimestamps, inv.numEnvironments),
        estimator: inv.estimator,
        lastLoss: last[last.length - 1]?.loss ?? Number.NaN,
        lastPenalty: last[last.length - 1]?.penalty ?? Number.NaN,
        backboneRecall20: backbone.result.test.atK[20].recall,
        rmsUserId: rms(Float32Array.from(uid)),
        rmsUserFeature: rms(Float32Array.from(uf)),
        rmsW: rms(backbone.weights.get('W') ?? new Float32Array()),
        invarianceSeconds: seconds,
      };
      rows.push(row);
      console.error(JSON.stringify(row));
    }
  }
  const header = ['shape', 'seed', 'precision', 'precisionWithoutAdded', 'maskInvariant', 'maskSpurious', 'maskNoise', 'kept', 'keptColumns', 'topOthers', 'periodV'];
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${header.map((h) => (typeof r[h] === 'number' ? Number(r[h]).toFixed(3) : String(r[h]))).join(' | ')} |`);
  const file = path.resolve('bench', 'results', `mask-probe${args.tag ? `-${args.tag}` : ''}.json`);
  await fs.writeFile(file, `${JSON.stringify({ overrides: args.overrides, backbone: args.backboneSet, rows }, null, 2)}\n`);
}

/**
 * The columns of the mask's top k (k = the planted invariant count) that are not planted invariant, by the modality
 * block they sit in, e.g. "textual 3, visual 1": where the columns that push planted ones out come from.
 */
function othersInTop(mask: Float32Array, planted: Planted, blocks: readonly { modality: string; offset: number; width: number }[]): string {
  const counts = new Map<string, number>();
  for (const c of topColumns(mask, planted.invariantColumns.size)) {
    if (planted.invariantColumns.has(c)) continue;
    const block = blocks.find((b) => c >= b.offset && c < b.offset + b.width)?.modality ?? '?';
    const name = `${block}${planted.spuriousColumns.has(c) ? ' (spurious)' : ''}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
}

/** The mask with one block's columns at −∞, so that no top k holds them. */
function withoutBlock(mask: Float32Array, block: { offset: number; width: number }): Float32Array {
  return Float32Array.from(mask, (m, c) => (c >= block.offset && c < block.offset + block.width ? -Infinity : m));
}

/** The columns the mask keeps (m > 0.5), counted by planted group: "invariant / spurious / noise". */
function keptByGroup(mask: Float32Array, planted: Planted): string {
  const counts = [0, 0, 0];
  mask.forEach((m, c) => {
    if (m > 0.5) counts[planted.invariantColumns.has(c) ? 0 : planted.spuriousColumns.has(c) ? 1 : 2]++;
  });
  return counts.join(' / ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
