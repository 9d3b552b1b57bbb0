// `eior train --dataset NAME --model popularity|ultragcn|ultragcn-features|invrl|variant|eior`: export from the
// graph, train with early stopping on validation NDCG@20 (the EIOR kinds in three stages: backbone, invariance,
// final model), evaluate on test, write a new model version and make it current.
import type { Command } from 'commander';
import { CliError } from '../errors';
import { loadConfig } from '../config';
import { withGraph } from '../graph-session';
import { report } from '../output';
import {
  EIOR_PRESET_NAMES, ENVIRONMENT_SOURCES, FUSION_NAMES, PENALTY_NAMES, givenEiorFlags, resolveEiorFlags, type EiorFlags,
} from '../training/eior-options';
import { EIOR_KINDS, MODEL_KINDS, PRESET_NAMES, isEiorKind, parseModelKind, parsePreset, parseUltraGcnSet, ultraGcnPreset } from '../training/model-kinds';
import { runTraining, type TrainReport } from '../training/train-run';
import { parseIntegerOption } from './options';

const BACKENDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
const PROTOCOLS = ['standard', 'invrl'] as const;

interface TrainOptions extends EiorFlags {
  dataset: string;
  model: string;
  preset: string;
  seed?: string;
  epochs?: string;
  set?: string;
  backend?: string;
  protocol: string;
  force: boolean;
  onlyIfBetter: boolean;
  tuned: boolean;
  json: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train a model on a dataset exported from the graph, evaluate it, and save it as the current model version')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .requiredOption('--model <model>', `one of ${MODEL_KINDS.join(', ')}`)
    .option('--preset <preset>', `UltraGCN hyperparameters (of the backbone for ${EIOR_KINDS.join(', ')}): ${PRESET_NAMES.join(', ')} (tiktok: InvRL's tuned on TikTok validation; invrl: InvRL's multimodal copy; paper: UltraGCN's official)`, 'tiktok')
    .option('--seed <n>', 'seed of every random choice (default: the preset\'s)')
    .option('--epochs <n>', 'maximum number of epochs (default: the preset\'s; early stopping may end sooner); of the backbone stage for the EIOR kinds')
    .option('--set <settings>', 'other UltraGCN settings (of the backbone for the EIOR kinds) over the preset as key=value,..., e.g. iiContentNeighborNum=0,projectionGamma=0.02')
    .option('--backend <name>', `TensorFlow.js backend: ${BACKENDS.join(', ')} (default: the best one present)`)
    .option('--protocol <name>', `evaluation protocol: standard, or invrl (InvRL's code, for comparison only)`, 'standard')
    .option('--eior-preset <preset>', `EIOR settings of ${EIOR_KINDS.join(', ')}: ${EIOR_PRESET_NAMES.join(', ')} (default quick: the budgeted pipeline; invrl: InvRL's official settings)`)
    .option('--penalty <name>', `invariance penalty of the mask: ${PENALTY_NAMES.join(', ')} (default: the EIOR preset's)`)
    .option('--fusion <name>', `how EIOR weighs its two branches: ${FUSION_NAMES.join(', ')} (default: the EIOR preset's)`)
    .option('--environments <source>', `${ENVIRONMENT_SOURCES.join(' or ')}: inferred as InvRL does, or windows of the train timestamps (default: the EIOR preset's)`)
    .option('--eior-set <settings>', 'other EIOR settings as key=value,..., e.g. environments.maxRounds=1,mask.epochs=2,fusion.epochs=2')
    .option('--no-tuned', 'ignore the settings `eior tune` found on this data (default: start from them, under --set)')
    .option('--force', "make the new version current even when its validation NDCG@20 is below popularity's", false)
    .option('--only-if-better', 'make the new version current only when it also beats the served version (trained on the same data) on validation NDCG@20', false)
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: TrainOptions) => {
      const model = parseModelKind(opts.model);
      const eiorFlags = givenEiorFlags(opts);
      if (!isEiorKind(model) && eiorFlags.length > 0) {
        throw new CliError(`${eiorFlags.join(', ')} ${eiorFlags.length === 1 ? 'applies' : 'apply'} only to --model ${EIOR_KINDS.join(', ')}, not to --model ${model}`);
      }
      if (model === 'popularity' && opts.set !== undefined) throw new CliError('--set applies only to the UltraGCN-based models, not to --model popularity');
      const preset = parsePreset(opts.preset);
      const request = {
        dataset: opts.dataset,
        model,
        preset,
        overrides: {
          // @eior/model loads TensorFlow.js: imported only when a flag needs it, as train-run does
          settings: opts.set === undefined ? undefined : parseUltraGcnSet(opts.set, ultraGcnPreset(await import('@eior/model'), preset)),
          seed: opts.seed === undefined ? undefined : parseIntegerOption('--seed', opts.seed, 0, 2 ** 31 - 1),
          epochs: opts.epochs === undefined ? undefined : parseIntegerOption('--epochs', opts.epochs, 1, 100_000),
        },
        backend: oneOf('--backend', opts.backend, BACKENDS),
        protocol: oneOf('--protocol', opts.protocol, PROTOCOLS) ?? 'standard',
        // @eior/model loads TensorFlow.js: imported only when the flags need it, as train-run does
        eior: isEiorKind(model) ? resolveEiorFlags(opts, await import('@eior/model')) : undefined,
        force: opts.force,
        onlyIfBetter: opts.onlyIfBetter,
        tuned: opts.tuned,
      };
      const config = loadConfig();
      const result = await withGraph(config, (client) => runTraining(config, client, request));
      // runTraining has loaded @eior/model already: importing it here costs nothing
      report(opts.json, summary(result, await import('@eior/model')), result as unknown as Record<string, unknown>);
    });
}

/** What the popularity floor decided, in plain words. */
function floorLines(r: TrainReport, lib: FloorWords): string[] {
  const lift = r.floor.lift === null ? 'no lift can be stated: popularity scores 0' : `lift ${r.floor.lift >= 0 ? '+' : ''}${(100 * r.floor.lift).toFixed(1)} %`;
  const spread = r.floor.interval ? `, ${lib.describeInterval(r.floor.interval)} over users` : '';
  const line = `  popularity   validation NDCG@20 ${r.floor.value.toFixed(4)} against popularity's ${r.floor.popularity.toFixed(4)} (${lift}${spread})`;
  // a lift whose interval holds 0 is what this split cannot tell from popularity: said, not acted on (the floor reads the means)
  const noise = lib.withinNoise(r.floor) && r.model !== 'popularity' ? [`               the interval holds 0: on this validation split ${r.version} and popularity cannot be told apart`] : [];
  if (r.floor.clears) return [line, ...noise];
  if (r.current) return [line, `  WARNING      ${r.version} is below popularity and serves only because of --force`];
  return [
    line,
    `  NOT SERVED   ${r.version} is below popularity, so it was not made current: ${r.serving ? `${r.serving} keeps serving` : `nothing serves '${r.dataset}' yet`}.`,
    `               Train popularity (--model popularity), tune this model (eior tune), or serve it anyway with --force or \`eior models use --force\`.`,
  ];
}

function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new CliError(`${flag} ${JSON.stringify(raw)} is not valid: expected one of ${allowed.join(', ')}`);
  return raw as T;
}

/** The words of the floor's interval, from @eior/model (imported lazily: it loads TensorFlow.js). */
type FloorWords = Pick<typeof import('@eior/model'), 'describeInterval' | 'formatLiftPercent' | 'withinNoise'>;

function summary(r: TrainReport, lib: FloorWords): string[] {
  const t = r.metrics.test;
  const f = (k: string) => (t[k] ?? Number.NaN).toFixed(4);
  return [
    `trained ${r.model} on '${r.dataset}': version ${r.version} (${r.current ? 'current' : 'NOT current'}), backend ${r.backend}`,
    ...floorLines(r, lib),
    `  epochs       ${r.epochs} (best ${r.bestEpoch}${r.stoppedEarly ? ', stopped early' : ''})`,
    `  time         ${r.seconds.total.toFixed(1)} s (export ${r.seconds.export.toFixed(1)} s, train and evaluate ${r.seconds.train.toFixed(1)} s)`,
    ...(r.seconds.backbone === undefined
      ? []
      : [`  stages       backbone ${r.seconds.backbone.toFixed(1)} s, invariance ${(r.seconds.invariance ?? 0).toFixed(1)} s, final ${(r.seconds.final ?? 0).toFixed(1)} s`]),
    ...(r.environments ? [`  environments ${r.environments.count} ${r.environments.source}, train edges ${r.environments.sizes.join('/')}`] : []),
    ...(r.mask ? [`  mask         keeps ${(100 * r.mask.kept).toFixed(1)} % of ${r.mask.columns} feature columns (mean m ${r.mask.mean.toFixed(3)})${stableColumns(r)}`] : []),
    ...healthLines(r),
    `  test         recall@10 ${f('recall@10')}  recall@20 ${f('recall@20')}  ndcg@10 ${f('ndcg@10')}  ndcg@20 ${f('ndcg@20')}${testLiftWords(r, lib)}`,
    `  artifact     ${r.artifact}`,
  ];
}

/** "; ndcg@20 +2.1 % over popularity (95 % interval −3.0 % to +7.4 %)": reported, never used for a choice. */
function testLiftWords(r: TrainReport, lib: FloorWords): string {
  if (r.model === 'popularity' || r.testLift.lift === null) return '';
  return `; ndcg@20 ${lib.formatLiftPercent(r.testLift.lift)} over popularity${r.testLift.interval ? ` (${lib.describeInterval(r.testLift.interval)})` : ''}`;
}

/** ", N stand out as stable" from the health figures, where they were measured. */
function stableColumns(r: TrainReport): string {
  const stable = r.health?.mask?.stable;
  return stable === undefined ? '' : `, ${stable} stand out as stable`;
}

/** The explanation health in a line or two, and every degenerate split in words. */
function healthLines(r: TrainReport): string[] {
  const h = r.health;
  if (!h) return [];
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 ? 3 : 1)} %`;
  const parts = [
    h.shares ? `content ${pct(h.shares.content)} of the rating (ids ${pct(h.shares.id)}, biases ${pct(h.shares.bias)})` : 'no score parts',
    ...(h.alpha ? [`α_I ${h.alpha.mean.toFixed(3)} ± ${h.alpha.std.toFixed(3)} (p5 ${h.alpha.p5.toFixed(3)}, p95 ${h.alpha.p95.toFixed(3)})`] : []),
    ...(h.becauseYouWatched?.ratio != null ? [`because-you-watched evidence ${h.becauseYouWatched.ratio.toFixed(2)} x random`] : []),
  ];
  return [`  health       ${parts.join(', ')} over ${h.sample.pairs} served pairs`, ...h.flags.map((f) => `  flag         ${f.message}`)];
}
