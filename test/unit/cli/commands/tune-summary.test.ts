// What `eior tune` prints about the version it trained: the floor's lift with its interval, and why a version that
// is not current is not (below popularity, or not above the served version under --only-if-better).
import { describeInterval, type LiftInterval } from '@eior/model';
import { describeTuning } from '../../../../apps/cli/src/commands/tune.command';
import type { TuneReport } from '../../../../apps/cli/src/training/tune-run';
import type { TrainReport } from '../../../../apps/cli/src/training/train-run';

const interval: LiftInterval = { low: -0.016, high: 0.063, level: 0.95, resamples: 2000 };

function report(training: Partial<TrainReport> & Pick<TrainReport, 'floor'>): TuneReport {
  return {
    dataset: 'zoo-sparse',
    model: 'eior',
    tuning: 'tb1bec9685f',
    ended: 'complete',
    trials: { run: 69, resumed: 0, failed: 0 },
    spentSeconds: 490,
    best: { trial: 's2-c8-e27', score: 0.0857, epochs: 27, settings: { lr: 0.000659 } },
    training: { version: 'v0005', current: true, serving: 'v0005', metrics: { valid: {}, test: { 'recall@20': 0.13, 'ndcg@20': 0.0672 } }, ...training } as TrainReport,
    version: 'v0005',
  };
}

const trainedLine = (r: TuneReport) => describeTuning(r, { describeInterval }).find((l) => l.startsWith('  trained'));

describe('describeTuning', () => {
  it('gives the trained version\'s lift interval beside its validation NDCG@20 and popularity\'s', () => {
    const floor = { metric: 'ndcg@20' as const, value: 0.0853, popularity: 0.0834, lift: 0.023, clears: true, interval };
    expect(trainedLine(report({ floor }))).toBe('  trained      v0005 (current): validation NDCG@20 0.0853, popularity 0.0834 (lift 95 % interval −1.6 % to +6.3 %)');
  });

  it('says why a version is not current: below popularity, or not above the version that serves', () => {
    const below = { metric: 'ndcg@20' as const, value: 0.0773, popularity: 0.078, lift: -0.009, clears: false, interval: null };
    expect(trainedLine(report({ floor: below, current: false, serving: 'v0004' }))).toBe('  trained      v0005 (NOT current: below popularity, v0004 serves): validation NDCG@20 0.0773, popularity 0.0780');
    const clears = { ...below, value: 0.0782, lift: 0.003, clears: true };
    expect(trainedLine(report({ floor: clears, current: false, serving: 'v0004' }))).toBe('  trained      v0005 (NOT current: not above the served version, v0004 serves): validation NDCG@20 0.0782, popularity 0.0780');
  });
});
