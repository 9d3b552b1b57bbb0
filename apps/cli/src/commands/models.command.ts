// `eior models list|use --dataset NAME [VERSION]`: the stored versions of a dataset with their lift over
// popularity, and rollback: any stored version trained on the data now in the graph can be made current again.
import type { Command } from 'commander';
import { makeVersionCurrent } from '@eior/api';
import { listModelRuns, type TrainedOn } from '@eior/graph';
import { describeComparison, formatIntervalRange, formatLiftPercent, storedComparison, type LiftInterval } from '@eior/model';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { modelsDir } from '../training/artifact-root';

const VERSION = /^v\d{4,}$/;

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('List the model versions of a dataset, or make a stored one current again (rollback)');
  models
    .command('list')
    .description('Every trained version of a dataset, newest first: kind, validation NDCG@20, lift over popularity, test Recall@20, which is current')
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .option('--json', 'print the versions as one JSON object on the last line of stdout', false)
    .action(async (opts: { dataset: string; json: boolean }) => {
      const runs = await withGraph(loadConfig(), (client) => listModelRuns(client, opts.dataset));
      const rows = runs.map((r) => {
        const floor = storedComparison(r.metrics);
        return {
          version: r.version,
          model: r.model,
          createdAt: r.createdAt,
          current: r.current,
          validNdcg20: r.metrics.valid['ndcg@20'] ?? null,
          popularityValidNdcg20: floor?.popularity ?? null,
          liftOverPopularity: floor?.lift ?? null,
          liftInterval: floor?.interval ?? null,
          testRecall20: r.metrics.test['recall@20'] ?? null,
          trainedOn: r.trainedOn,
        };
      });
      const num = (v: number | null, digits = 4) => (v === null ? '-' : v.toFixed(digits));
      const lift = (v: number | null) => (v === null ? 'unknown' : formatLiftPercent(v));
      const interval = (i: LiftInterval | null) => (i === null ? '-' : formatIntervalRange(i));
      report(
        opts.json,
        rows.length === 0
          ? [`no model versions of '${opts.dataset}' yet: train one with \`eior train --dataset ${opts.dataset} --model eior\``]
          : [
              `model versions of '${opts.dataset}' (newest first; lift = validation NDCG@20 over popularity's on the same split)`,
              '  version  model              valid ndcg@20  lift        95 % interval      test recall@20  current  trained on',
              ...rows.map((r) => `  ${r.version.padEnd(8)} ${r.model.padEnd(18)} ${num(r.validNdcg20).padEnd(14)} ${lift(r.liftOverPopularity).padEnd(11)} ${interval(r.liftInterval).padEnd(18)} ${num(r.testRecall20).padEnd(15)} ${(r.current ? 'yes' : '').padEnd(8)} ${dataWords(r.trainedOn)}`),
              ...predating(rows.map((r) => r.trainedOn)),
            ],
        { dataset: opts.dataset, versions: rows },
      );
    });
  models
    .command('use')
    .description("Make a stored version the one the dataset serves (the API swaps to it on its next poll); refused when it is below popularity on validation unless --force")
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .argument('<version>', 'the version, e.g. v0003 (see `eior models list`)')
    .option('--force', "make it current even when its validation NDCG@20 is below popularity's", false)
    .option('--json', 'print the change as one JSON object on the last line of stdout', false)
    .action(async (version: string, opts: { dataset: string; force: boolean; json: boolean }) => {
      if (!VERSION.test(version)) throw new CliError(`version ${JSON.stringify(version)} is not valid: expected v followed by 4 or more digits, e.g. v0003`);
      const config = loadConfig();
      const change = await withGraph(config, (client) => makeVersionCurrent(client, modelsDir(config), opts.dataset, version, { force: opts.force }));
      report(
        opts.json,
        [
          change.previous === change.version
            ? `${change.model} ${change.version} of '${change.dataset}' was already current`
            : `${change.model} ${change.version} of '${change.dataset}' is now current (was ${change.previous ?? 'none'}); a running API swaps to it on its next poll`,
          ...(change.comparison ? [`  ${describeComparison(change.comparison)}${change.forced ? ' (served only because of --force)' : ''}`] : ['  popularity was not scored when this version was trained: its lift is unknown']),
        ],
        change as unknown as Record<string, unknown>,
      );
    });
}

/** The "trained on" column: all data, the new events it predates, or other data. */
function dataWords(t: TrainedOn | null): string {
  if (!t) return 'unknown (recorded before runs kept it)';
  if (t.state === 'current') return `all data (${t.events.toLocaleString('en-US')} events)`;
  if (t.state === 'other-data') return 'other data: cannot serve';
  return `predates ${t.newEvents!.toLocaleString('en-US')} new events (${t.newAppends} append${t.newAppends === 1 ? '' : 's'})`;
}

/** A line under the table when some version predates appends: what that means for serving. */
function predating(trained: (TrainedOn | null)[]): string[] {
  return trained.some((t) => t?.state === 'predates-appends')
    ? ['  a version that predates appends still serves the users and items it was trained on (new ones are refused by name); train a new version to include them']
    : [];
}
