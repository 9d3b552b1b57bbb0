// `eior train --dataset NAME --model popularity|ultragcn|ultragcn-features`: export from the graph, train with
// early stopping on validation NDCG@20, evaluate on test, write a new model version and make it current.
import type { Command } from 'commander';
import { CliError } from '../errors';
import { loadConfig } from '../config';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { MODEL_KINDS, PRESET_NAMES, parseModelKind, parsePreset } from '../training/model-kinds';
import { runTraining, type TrainReport } from '../training/train-run';
import { parseIntegerOption } from './options';

const BACKENDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
const PROTOCOLS = ['standard', 'invrl'] as const;

interface TrainOptions {
  dataset: string;
  model: string;
  preset: string;
  seed?: string;
  epochs?: string;
  backend?: string;
  protocol: string;
  json: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train a model on a dataset exported from the graph, evaluate it, and save it as the current model version')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .requiredOption('--model <model>', `one of ${MODEL_KINDS.join(', ')}`)
    .option('--preset <preset>', `UltraGCN hyperparameters: ${PRESET_NAMES.join(', ')} (tiktok: InvRL's tuned on TikTok validation; invrl: InvRL's multimodal copy; paper: UltraGCN's official)`, 'tiktok')
    .option('--seed <n>', 'seed of every random choice (default: the preset\'s)')
    .option('--epochs <n>', 'maximum number of epochs (default: the preset\'s; early stopping may end sooner)')
    .option('--backend <name>', `TensorFlow.js backend: ${BACKENDS.join(', ')} (default: the best one present)`)
    .option('--protocol <name>', `evaluation protocol: standard, or invrl (InvRL's code, for comparison only)`, 'standard')
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: TrainOptions) => {
      const request = {
        dataset: opts.dataset,
        model: parseModelKind(opts.model),
        preset: parsePreset(opts.preset),
        overrides: {
          seed: opts.seed === undefined ? undefined : parseIntegerOption('--seed', opts.seed, 0, 2 ** 31 - 1),
          epochs: opts.epochs === undefined ? undefined : parseIntegerOption('--epochs', opts.epochs, 1, 100_000),
        },
        backend: oneOf('--backend', opts.backend, BACKENDS),
        protocol: oneOf('--protocol', opts.protocol, PROTOCOLS) ?? 'standard',
      };
      const config = loadConfig();
      const result = await withGraph(config, (client) => runTraining(config, client, request));
      report(opts.json, summary(result), result as unknown as Record<string, unknown>);
    });
}

function oneOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new CliError(`${flag} ${JSON.stringify(raw)} is not valid: expected one of ${allowed.join(', ')}`);
  return raw as T;
}

function summary(r: TrainReport): string[] {
  const t = r.metrics.test;
  const f = (k: string) => (t[k] ?? Number.NaN).toFixed(4);
  return [
    `trained ${r.model} on '${r.dataset}': version ${r.version} (current), backend ${r.backend}`,
    `  epochs       ${r.epochs} (best ${r.bestEpoch}${r.stoppedEarly ? ', stopped early' : ''})`,
    `  time         ${r.seconds.total.toFixed(1)} s (export ${r.seconds.export.toFixed(1)} s, train and evaluate ${r.seconds.train.toFixed(1)} s)`,
    `  test         recall@10 ${f('recall@10')}  recall@20 ${f('recall@20')}  ndcg@10 ${f('ndcg@10')}  ndcg@20 ${f('ndcg@20')}`,
    `  artifact     ${r.artifact}`,
  ];
}
