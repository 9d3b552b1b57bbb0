// One `eior tune` run: Hyperband over the kind's search space on validation NDCG@20 (libs/model tuneUltraGcn), every
// trial recorded in the graph as it ends, a killed tuning resumed from its finished trials, then the best settings
// trained as a normal `eior train` run (which the popularity floor decides whether to make current).
import { createHash } from 'node:crypto';
import { closeTuning, exportTrainingData, listTunings, openTuning, recordTrial, setTuningSpent, type GraphClient, type TrialRow } from '@eior/graph';
import type { TrialOutcome, TrialRecord, UltraGcnConfig } from '@eior/model';
import type { CliConfig } from '../config';
import { formatDuration } from '../commands/options';
import { progressBar, say } from '../output';
import { resolveEiorFlags } from './eior-options';
import { isEiorKind, ultraGcnConfigFor, ultraGcnPreset, type ModelKind, type PresetName } from './model-kinds';
import { runTraining, type TrainReport } from './train-run';

export interface TuneRequest {
  dataset: string;
  model: Exclude<ModelKind, 'popularity'>;
  preset: PresetName;
  seed: number;
  /** Seconds of trial training this tuning may spend in all (over every run of it). */
  budgetSeconds: number;
  maxTrials?: number;
  /** R of Hyperband: the most epochs a trial trains. */
  maxEpochs: number;
  /** The best settings' version becomes current only when it beats the served one on validation (TrainRequest). */
  onlyIfBetter?: boolean;
}

export interface TuneReport {
  dataset: string;
  model: string;
  tuning: string;
  ended: 'complete' | 'budget' | 'trials';
  trials: { run: number; resumed: number; failed: number };
  /** Seconds of trial training over every run of this tuning (the final training not included). */
  spentSeconds: number;
  best: { trial: string; score: number; epochs: number; settings: Partial<UltraGcnConfig> } | null;
  /** The run that trained the best settings now (null when no trial finished, or when `version` was reused). */
  training: TrainReport | null;
  /** The version trained with the best settings: by this run, or by an earlier run of the tuning with the same best. */
  version: string | null;
}

export async function runTuning(config: CliConfig, client: GraphClient, request: TuneRequest): Promise<TuneReport> {
  const lib = await import('@eior/model');
  say(lib.describeBackendChoice(await lib.selectBackend({})));
  const data = await exportTrainingData(client, request.dataset, { feedbackUntil: Date.now() });
  const useFeatures = request.model !== 'ultragcn';
  const space = lib.ultraGcnSearchSpace(useFeatures);
  const portfolio = lib.ultraGcnPortfolio(useFeatures);
  const portfolioSettings = portfolio.map((p) => p.settings);
  const base = ultraGcnConfigFor(request.model, ultraGcnPreset(lib, request.preset), { seed: request.seed });
  const schedule = { ...lib.DEFAULT_HYPERBAND, maxEpochs: request.maxEpochs, preset: request.preset };
  const key = { model: request.model, fingerprint: data.fingerprint, feedback: data.feedback?.interactions ?? 0, seed: request.seed, space, portfolio: portfolioSettings, schedule, base };
  const id = `t${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 10)}`;
  const earlier = await openTuning(client, {
    dataset: request.dataset, id, model: request.model, fingerprint: data.fingerprint, seed: request.seed,
    space: space as Record<string, unknown>, schedule, base: base as unknown as Record<string, unknown>,
  });
  const recorded = new Map(earlier.map((t) => [t.id, t]));
  const previous = (await listTunings(client, request.dataset)).find((t) => t.id === id);
  // the budget spent by earlier runs of this tuning, on the same clock as this run's (trials cut by it included)
  const spentBefore = previous?.spentSeconds ?? 0;
  const brackets = lib.hyperbandBrackets(schedule);
  say(`tuning ${request.model} on '${request.dataset}' (${id}): Hyperband over ${lib.describeSearchSpace(space)}`);
  say(`  tried first: ${portfolio.map((p) => `${p.name} (${p.about})`).join('; ')}`);
  say(`  ${brackets.length} brackets up to ${schedule.maxEpochs} epochs a trial (${lib.hyperbandEpochs(brackets)} epochs for all of them), budget ${formatDuration(request.budgetSeconds)}${earlier.length ? `, resuming after ${earlier.length} recorded trials (${formatDuration(spentBefore)} spent)` : ''}; objective: validation NDCG@20 (the test split is not read)`);

  const started = performance.now();
  const spent = () => spentBefore + (performance.now() - started) / 1000;
  const outOfTime = () => spent() >= request.budgetSeconds;
  const total = brackets.reduce((s, b) => s + b.rungs.reduce((n, r) => n + r.configs, 0), 0);
  const bar = progressBar('tuning', Math.min(total, request.maxTrials ?? total), 'trials');
  const counts = { run: 0, resumed: 0, failed: 0 };
  const result = await lib
    .tuneUltraGcn(data, {
      base,
      space,
      portfolio: portfolioSettings,
      hyperband: schedule,
      seed: request.seed,
      stopWhen: outOfTime,
      driver: {
        maxTrials: request.maxTrials,
        outOfTime,
        recorded: (spec) => {
          const row = recorded.get(spec.id);
          return row ? toOutcome(row) : null;
        },
        onTrial: async (record, progress) => {
          if (record.resumed) counts.resumed++;
          else counts.run++;
          if (record.outcome.status === 'failed') counts.failed++;
          // a cut trial is not recorded (a resumed tuning trains it again from the start), but its time was spent
          if (!record.resumed && record.outcome.status === 'cut') await setTuningSpent(client, request.dataset, id, spent());
          else if (!record.resumed) await recordTrial(client, request.dataset, id, toRow(record, progress.done - 1), spent());
          const best = progress.best?.outcome.score;
          bar.update(progress.done, `best ${best === undefined || best === null ? '-' : best.toFixed(4)}, ${formatDuration(request.budgetSeconds - spent())} left`);
        },
      },
    })
    .finally(() => bar.stop());
  const searchSeconds = spent();
  const best = result.best
    ? { trial: result.best.spec.id, score: result.best.outcome.score!, epochs: result.best.spec.epochs, settings: result.best.spec.settings }
    : null;
  say(`  ${result.ended === 'complete' ? 'every bracket ran' : result.ended === 'budget' ? 'the budget is spent' : 'the trial cap is reached'}: ${counts.run} trials trained, ${counts.resumed} resumed, ${counts.failed} failed, ${formatDuration(searchSeconds)} spent`);
  let training: TrainReport | null = null;
  const reused = best && previous?.version && previous.bestTrial === best.trial ? previous.version : null;
  if (reused) {
    say(`  best ${best!.trial} unchanged: its settings were trained as ${reused} by an earlier run of this tuning`);
  } else if (best) {
    say(`  best ${best.trial}: validation NDCG@20 ${best.score.toFixed(4)} after ${best.epochs} epochs with ${Object.entries(best.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    say(`training ${request.model} with the best settings (the preset's epochs and early stopping)`);
    training = await runTraining(config, client, {
      dataset: request.dataset,
      model: request.model,
      preset: request.preset,
      overrides: { settings: best.settings, seed: request.seed },
      protocol: 'standard',
      eior: isEiorKind(request.model) ? resolveEiorFlags({}, lib) : undefined,
      tuned: false,
      onlyIfBetter: request.onlyIfBetter,
    });
  } else {
    say('  no trial finished: nothing to train');
  }
  await closeTuning(client, request.dataset, id, {
    status: result.ended,
    spentSeconds: searchSeconds,
    bestTrial: best?.trial ?? null,
    bestScore: best?.score ?? null,
    bestSettings: best ? (best.settings as Record<string, unknown>) : null,
    version: training?.version ?? reused,
  });
  return { dataset: request.dataset, model: request.model, tuning: id, ended: result.ended, trials: counts, spentSeconds: searchSeconds, best, training, version: training?.version ?? reused };
}

function toRow(record: TrialRecord<UltraGcnConfig>, seq: number): TrialRow {
  const { spec, outcome } = record;
  return {
    id: spec.id, seq, bracket: spec.bracket, rung: spec.rung, config: spec.config, settings: spec.settings as Record<string, unknown>, epochs: spec.epochs,
    status: outcome.status, score: outcome.score, bestEpoch: outcome.bestEpoch, curve: outcome.curve, seconds: outcome.seconds, error: outcome.error ?? null,
  };
}

function toOutcome(row: TrialRow): TrialOutcome {
  return { status: row.status, score: row.score, bestEpoch: row.bestEpoch, curve: row.curve, seconds: row.seconds, ...(row.error ? { error: row.error } : {}) };
}
