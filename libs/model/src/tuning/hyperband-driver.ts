// Runs Hyperband's brackets over a search space: samples every bracket's configs up front from one seeded generator,
// trains each rung's trials through a callback, and promotes the best 1/η by score. Trials found already finished
// (a resumed tuning) are taken as recorded instead of trained again; promotions depend only on recorded scores, so a
// resumed tuning makes the same choices as one that was never interrupted.
import { Random } from '../random';
import { hyperbandBrackets, type HyperbandOptions } from './hyperband';
import { sampleSearchSpace, type SearchSpace } from './search-space';

export interface TrialSpec<C> {
  /** Stable across runs of the same tuning: `s<bracket>-c<config>-e<epochs>`. */
  id: string;
  bracket: number;
  rung: number;
  /** Index of the config within its bracket. */
  config: number;
  settings: Partial<C>;
  epochs: number;
}

export interface TrialOutcome {
  /** finished: trained to its epochs (or early-stopped); cut: ended by the deadline; failed: the training threw. */
  status: 'finished' | 'cut' | 'failed';
  /** Best validation NDCG@20 over the trial's evaluations; null when none was made. */
  score: number | null;
  bestEpoch: number;
  /** Validation NDCG@20 per evaluated epoch. */
  curve: { epoch: number; ndcg20: number }[];
  seconds: number;
  error?: string;
}

export interface TrialRecord<C> {
  spec: TrialSpec<C>;
  outcome: TrialOutcome;
  /** True when the outcome was read from an earlier run of this tuning instead of trained now. */
  resumed: boolean;
}

export interface HyperbandDriver<C> {
  runTrial(spec: TrialSpec<C>): Promise<TrialOutcome>;
  /** The outcome an earlier run of this tuning recorded for a trial, or null (then it is trained). */
  recorded(spec: TrialSpec<C>): TrialOutcome | null;
  /** Checked before each trial: true ends the tuning (the budget is spent). */
  outOfTime(): boolean;
  /** The most trials to run (recorded ones included); unbounded when absent. */
  maxTrials?: number;
  onTrial?(record: TrialRecord<C>, progress: { done: number; total: number; best: TrialRecord<C> | null }): void | Promise<void>;
}

export interface HyperbandResult<C> {
  trials: TrialRecord<C>[];
  /** The finished trial with the best score (more epochs win a tie); null when none finished. */
  best: TrialRecord<C> | null;
  /** Why the tuning ended: every bracket ran, the budget ran out, or the trial cap was reached. */
  ended: 'complete' | 'budget' | 'trials';
}

/**
 * `portfolio`: points tried first, as the first configs of the first (most exploratory) bracket, in place of sampled
 * ones; the generator draws the same sequence either way, so the other configs do not change.
 */
export async function runHyperband<C extends object>(
  space: SearchSpace<C>,
  options: HyperbandOptions,
  seed: number,
  driver: HyperbandDriver<C>,
  portfolio: readonly Partial<C>[] = [],
): Promise<HyperbandResult<C>> {
  const brackets = hyperbandBrackets(options);
  const rng = new Random(seed);
  const sampled = brackets.map((b) => Array.from({ length: b.rungs[0].configs }, () => sampleSearchSpace(space, rng)));
  if (sampled.length > 0) for (let k = 0; k < Math.min(portfolio.length, sampled[0].length); k++) sampled[0][k] = { ...portfolio[k] };
  const total = brackets.reduce((sum, b) => sum + b.rungs.reduce((s, r) => s + r.configs, 0), 0);
  const trials: TrialRecord<C>[] = [];
  let best: TrialRecord<C> | null = null;
  const better = (a: TrialRecord<C>, b: TrialRecord<C> | null) =>
    a.outcome.status === 'finished' && a.outcome.score !== null && (b === null || a.outcome.score > b.outcome.score! || (a.outcome.score === b.outcome.score && a.spec.epochs > b.spec.epochs));

  for (const [bi, bracket] of brackets.entries()) {
    let alive = sampled[bi].map((_, c) => c);
    for (const rung of bracket.rungs) {
      const scored: { config: number; score: number }[] = [];
      for (const c of alive.slice(0, rung.configs)) {
        if (driver.maxTrials !== undefined && trials.length >= driver.maxTrials) return { trials, best, ended: 'trials' };
        const spec: TrialSpec<C> = { id: `s${bracket.bracket}-c${c}-e${rung.epochs}`, bracket: bracket.bracket, rung: rung.rung, config: c, settings: sampled[bi][c], epochs: rung.epochs };
        const recorded = driver.recorded(spec);
        if (!recorded && driver.outOfTime()) return { trials, best, ended: 'budget' };
        const outcome = recorded ?? (await driver.runTrial(spec));
        const record: TrialRecord<C> = { spec, outcome, resumed: recorded !== null };
        trials.push(record);
        if (better(record, best)) best = record;
        await driver.onTrial?.(record, { done: trials.length, total, best });
        if (outcome.status === 'cut') return { trials, best, ended: 'budget' };
        if (outcome.status === 'finished' && outcome.score !== null) scored.push({ config: c, score: outcome.score });
      }
      // successive halving: the best ⌊n_i / η⌋ go on (failed trials never do); ties keep the earlier config
      scored.sort((a, b) => b.score - a.score || a.config - b.config);
      alive = scored.slice(0, Math.floor(rung.configs / options.eta)).map((x) => x.config);
      if (alive.length === 0) break;
    }
  }
  return { trials, best, ended: 'complete' };
}
