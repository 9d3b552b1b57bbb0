// `eior generate --out DIR`: a synthetic MMRec dataset with planted invariant and spurious features and a
// test period whose spurious correlation is reversed (README "Generated data").
import path from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_GENERATE_CONFIG,
  GENERATE_LIMITS,
  GraphError,
  generateDataset,
  interactionLimits,
  maxInteractionsPerUser,
  validateGenerateConfig,
  type GenerateConfig,
} from '@eior/graph';
import { CliError } from '../errors';
import { progressBar, report, say } from '../output';
import { parseIntegerOption } from './options';

interface GenerateOptions {
  out: string;
  users: string;
  items: string;
  interactions: string;
  environments: string;
  modalities: string;
  seed: string;
  name: string;
  json: boolean;
}

const D = DEFAULT_GENERATE_CONFIG;
const L = GENERATE_LIMITS;
const range = ([min, max]: readonly [number, number]) => `${min}..${max}`;

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Write a synthetic MMRec dataset (<name>.inter, <modality>_feat.npy, truth.json) with a planted distribution shift')
    .requiredOption('--out <dir>', 'folder to write into (created if missing; files of the same names are replaced)')
    .option('--users <n>', `number of users (${range(L.users)})`, String(D.users))
    .option('--items <n>', `number of items (${range(L.items)})`, String(D.items))
    .option('--interactions <n>', 'number of interactions (from max(users, 2 x items) to users x items/4)', String(D.interactions))
    .option('--environments <n>', `training environments, one time period each (${range(L.environments)})`, String(D.environments))
    .option('--modalities <n>', `feature files: 1 image, 2 + audio, 3 + text (${range(L.modalities)})`, String(D.modalities))
    .option('--seed <n>', `seed of the one random generator (${range(L.seed)})`, String(D.seed))
    .option('--name <name>', 'dataset name: the interactions go to <name>.inter', D.name)
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: GenerateOptions) => {
      const config = parseConfig(opts);
      const out = path.resolve(opts.out);
      const started = process.hrtime.bigint();
      const bar = progressBar('generate', config.users, 'users');
      const result = await generateDataset(out, config, { onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
      const seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100;
      const { train, valid, test } = result.interactions;
      say(`wrote ${out}: ${[result.files.interactions, ...result.files.features, result.files.truth].map((f) => path.basename(f)).join(', ')}`);
      report(
        opts.json,
        [
          `generated dataset '${config.name}' in ${out}`,
          `  users        ${result.users}`,
          `  items        ${result.items}`,
          `  interactions ${train + valid + test} (train ${train}, valid ${valid}, test ${test})`,
          `  modalities   ${result.modalities.map((m) => `${m.name} ${m.width}`).join(', ')}`,
          `  periods      ${result.truth.periods.map((p) => `${p.split} ${p.env} (β ${p.spuriousWeight})`).join(', ')}`,
          `  time         ${seconds.toFixed(2)} s`,
        ],
        { out, users: result.users, items: result.items, interactions: result.interactions, modalities: result.modalities, seconds },
      );
    });
}

/** Every flag checked with a message that names it, its value and the allowed range (exit code 2). */
function parseConfig(opts: GenerateOptions): GenerateConfig {
  const users = parseIntegerOption('--users', opts.users, ...L.users);
  const items = parseIntegerOption('--items', opts.items, ...L.items);
  const [min, max] = interactionLimits(users, items);
  if (min > max) {
    throw new CliError(
      `--users ${users} and --items ${items} do not fit together: every item needs an interaction (at least ${min}) but a user may have at most items/4 = ${maxInteractionsPerUser(items)} (at most ${max}); use more users or fewer items`,
    );
  }
  const config: Partial<GenerateConfig> = {
    users,
    items,
    interactions: parseIntegerOption('--interactions', opts.interactions, min, max),
    environments: parseIntegerOption('--environments', opts.environments, ...L.environments),
    modalities: parseIntegerOption('--modalities', opts.modalities, ...L.modalities),
    seed: parseIntegerOption('--seed', opts.seed, ...L.seed),
    name: opts.name,
  };
  try {
    return validateGenerateConfig(config);
  } catch (err) {
    if (err instanceof GraphError && err.code === 'BAD_USER_INPUT') throw new CliError(`--name: ${err.message}`);
    throw err;
  }
}
