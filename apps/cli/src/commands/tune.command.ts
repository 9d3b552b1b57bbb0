// `eior tune --dataset NAME --model KIND [--budget 20m] [--trials N] [--seed N]`: Hyperband over the kind's search
// space on validation NDCG@20, every trial a run in the graph, resumable; the best settings are then trained (and made
// current when they clear popularity) and are what `eior train` starts from on this data.
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { MODEL_KINDS, PRESET_NAMES, parseModelKind, parsePreset } from '../training/model-kinds';
import { runTuning, type TuneReport } from '../training/tune-run';
import { formatDuration, parseDurationOption, parseIntegerOption } from './options';

/** What `eior tune` spends when --budget is not given. */
export const DEFAULT_TUNE_BUDGET_SECONDS = 20 * 60;

interface TuneOptions {
  dataset: string;
  model: string;
  preset: string;
  budget: string;
  trials?: string;
  seed: string;
  maxEpochs: string;
  onlyIfBetter: boolean;
  json: boolean;
}

export function registerTuneCommand(program: Command): void {
  program
    .command('tune')
    .description('Tune a model kind on a dataset\'s validation split (Hyperband; the test split is never read), then train the best settings; `eior train` starts from them on this data')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .requiredOption('--model <model>', `one of ${MODEL_KINDS.filter((m) => m !== 'popularity').join(', ')} (the EIOR kinds tune their UltraGCN backbone)`)
    .option('--preset <preset>', `the UltraGCN preset the tuned settings override: ${PRESET_NAMES.join(', ')}`, 'tiktok')
    .option('--budget <duration>', 'seconds of trial training in all, over every run of this tuning, e.g. 90s, 20m, 1h', formatDuration(DEFAULT_TUNE_BUDGET_SECONDS))
    .option('--trials <n>', 'the most trials (a resumed tuning counts its recorded ones)')
    .option('--seed <n>', 'seed of the sampled settings and of every trial; the same seed on the same data resumes the same tuning', '1')
    .option('--max-epochs <n>', 'R of Hyperband: the most epochs one trial trains', '27')
    .option('--only-if-better', 'make the best settings\' version current only when it beats the served version on validation NDCG@20', false)
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: TuneOptions) => {
      const model = parseModelKind(opts.model);
      if (model === 'popularity') throw new CliError('--model popularity has no settings to tune: expected one of ' + MODEL_KINDS.filter((m) => m !== 'popularity').join(', '));
      const request = {
        dataset: opts.dataset,
        model,
        preset: parsePreset(opts.preset),
        seed: parseIntegerOption('--seed', opts.seed, 0, 2 ** 31 - 1),
        budgetSeconds: parseDurationOption('--budget', opts.budget, 1, 7 * 24 * 3600),
        maxTrials: opts.trials === undefined ? undefined : parseIntegerOption('--trials', opts.trials, 1, 100_000),
        maxEpochs: parseIntegerOption('--max-epochs', opts.maxEpochs, 1, 10_000),
        onlyIfBetter: opts.onlyIfBetter,
      };
      const config = loadConfig();
      const result = await withGraph(config, (client) => runTuning(config, client, request));
      // runTuning has loaded @eior/model already: importing it here costs nothing
      report(opts.json, describeTuning(result, await import('@eior/model')), result as unknown as Record<string, unknown>);
    });
}

/** Why the trained version is not current: below popularity, or (`--only-if-better`) not above the served version. */
function notCurrent(t: NonNullable<TuneReport['training']>): string {
  return t.floor.clears ? `NOT current: not above the served version, ${t.serving ?? 'nothing'} serves` : `NOT current: below popularity, ${t.serving ?? 'nothing'} serves`;
}

/** What `eior tune` prints: the search, its best trial, and the version trained with it. */
export function describeTuning(r: TuneReport, lib: Pick<typeof import('@eior/model'), 'describeInterval'>): string[] {
  const lines = [
    `tuned ${r.model} on '${r.dataset}' (${r.tuning}): ${r.trials.run} trials trained, ${r.trials.resumed} resumed, ${r.trials.failed} failed, ${formatDuration(r.spentSeconds)} spent (${r.ended})`,
  ];
  if (!r.best) return [...lines, '  no trial finished: raise --budget or --trials'];
  lines.push(`  best         ${r.best.trial}: validation NDCG@20 ${r.best.score.toFixed(4)} (${Object.entries(r.best.settings).map(([k, v]) => `${k}=${v}`).join(', ')})`);
  if (!r.training && r.version) lines.push(`  trained      ${r.version} by an earlier run of this tuning (same best trial): see \`eior models list\``);
  if (r.training) {
    const t = r.training;
    lines.push(
      `  trained      ${t.version} (${t.current ? 'current' : notCurrent(t)}): validation NDCG@20 ${t.floor.value.toFixed(4)}, popularity ${t.floor.popularity.toFixed(4)}${t.floor.interval ? ` (lift ${lib.describeInterval(t.floor.interval)})` : ''}`,
      `  test         recall@20 ${(t.metrics.test['recall@20'] ?? Number.NaN).toFixed(4)}  ndcg@20 ${(t.metrics.test['ndcg@20'] ?? Number.NaN).toFixed(4)}`,
    );
  }
  return lines;
}
