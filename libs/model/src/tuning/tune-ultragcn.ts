// Tunes UltraGCN on validation with Hyperband: every trial is fitUltraGcn with a sampled config and the trial's
// epochs, scored by its best validation NDCG@20. Trials never see the test split: it is removed from the data they
// are handed, so no choice can depend on it.
import { validateUltraGcnConfig, type UltraGcnConfig } from '../config';
import { fitUltraGcn } from '../fit-ultragcn';
import type { RecDataset } from '../types';
import { runHyperband, type HyperbandDriver, type HyperbandResult, type TrialOutcome, type TrialSpec } from './hyperband-driver';
import type { HyperbandOptions } from './hyperband';
import type { SearchSpace } from './search-space';

export interface TuneUltraGcnOptions {
  /** The preset the tuned settings override (everything outside the space keeps its value). */
  base: Readonly<UltraGcnConfig>;
  space: SearchSpace<UltraGcnConfig>;
  /** Points of the space tried first (runHyperband's portfolio), each completed with the base's values; none when absent. */
  portfolio?: readonly Partial<UltraGcnConfig>[];
  hyperband: HyperbandOptions;
  seed: number;
  /** Persistence and budget, as HyperbandDriver: recorded outcomes, the deadline, a trial cap, progress. */
  driver: Omit<HyperbandDriver<UltraGcnConfig>, 'runTrial'>;
  /** Checked after each epoch of a trial: true cuts it (the budget is spent). */
  stopWhen?: () => boolean;
}

/** The config a trial trains: the base, the sampled settings, the trial's epochs and an evaluation schedule. */
export function trialConfig(base: Readonly<UltraGcnConfig>, spec: Pick<TrialSpec<UltraGcnConfig>, 'settings' | 'epochs'>): UltraGcnConfig {
  return validateUltraGcnConfig({
    ...base,
    ...spec.settings,
    epochs: spec.epochs,
    // about 10 evaluations per trial whatever its length, and no early stop inside a short trial
    evalEvery: Math.max(1, Math.round(spec.epochs / 10)),
    patience: Math.max(base.patience, 10),
  });
}

export async function tuneUltraGcn(data: RecDataset, options: TuneUltraGcnOptions): Promise<HyperbandResult<UltraGcnConfig>> {
  const blind: RecDataset = { ...data, test: { users: new Int32Array(0), items: new Int32Array(0) } };
  const runTrial = async (spec: TrialSpec<UltraGcnConfig>): Promise<TrialOutcome> => {
    const started = performance.now();
    try {
      const { model, result } = await fitUltraGcn(blind, trialConfig(options.base, spec), { stopWhen: options.stopWhen });
      model.dispose();
      const curve = result.curve.filter((e) => e.valid).map((e) => ({ epoch: e.epoch, ndcg20: e.valid![20].ndcg }));
      return {
        status: result.interrupted ? 'cut' : 'finished',
        score: result.bestValid ? result.bestValid[20].ndcg : null,
        bestEpoch: result.bestEpoch,
        curve,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (err) {
      return { status: 'failed', score: null, bestEpoch: 0, curve: [], seconds: (performance.now() - started) / 1000, error: (err as Error).message };
    }
  };
  // a portfolio point names what it changes; its trial records every setting of the space, the rest at the base's value
  const complete = (point: Partial<UltraGcnConfig>): Partial<UltraGcnConfig> => {
    const filled: Record<string, unknown> = {};
    for (const key of Object.keys(options.space)) filled[key] = (options.base as unknown as Record<string, unknown>)[key];
    return { ...(filled as Partial<UltraGcnConfig>), ...point };
  };
  return runHyperband(options.space, options.hyperband, options.seed, { ...options.driver, runTrial }, (options.portfolio ?? []).map(complete));
}
