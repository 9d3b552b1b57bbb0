// Hyperband's schedule against the paper's own table, and the successive-halving driver against outcomes worked by hand.
import {
  Random, hyperbandBrackets, hyperbandEpochs, runHyperband, sampleSearchSpace, validatePortfolio, validateSearchSpace,
  type HyperbandDriver, type TrialOutcome, type TrialSpec,
} from '@eior/model';

type Cfg = { a: number; b: number };

describe('hyperbandBrackets', () => {
  it('reproduces Table 1 of Li et al. (JMLR 2018) for R = 81, η = 3', () => {
    const table = hyperbandBrackets({ maxEpochs: 81, minEpochs: 1, eta: 3 }).map((b) => [b.bracket, b.rungs.map((r) => [r.configs, r.epochs])]);
    expect(table).toEqual([
      [4, [[81, 1], [27, 3], [9, 9], [3, 27], [1, 81]]],
      [3, [[34, 3], [11, 9], [3, 27], [1, 81]]],
      [2, [[15, 9], [5, 27], [1, 81]]],
      [1, [[8, 27], [2, 81]]],
      [0, [[5, 81]]],
    ]);
  });

  it('gives the default schedule (R 27, η 3) and its total of epochs', () => {
    const b = hyperbandBrackets({ maxEpochs: 27, minEpochs: 1, eta: 3 });
    expect(b.map((x) => x.rungs.map((r) => `${r.configs}x${r.epochs}`).join(' '))).toEqual(['27x1 9x3 3x9 1x27', '12x3 4x9 1x27', '6x9 2x27', '4x27']);
    // 27+27+27+27 + 36+36+27 + 54+54 + 108
    expect(hyperbandEpochs(b)).toBe(108 + 99 + 108 + 108);
  });

  it('refuses an η below 2 or epochs out of order, naming them', () => {
    expect(() => hyperbandBrackets({ maxEpochs: 9, minEpochs: 1, eta: 1 })).toThrow(/eta = 1: expected an integer >= 2/);
    expect(() => hyperbandBrackets({ maxEpochs: 2, minEpochs: 3, eta: 3 })).toThrow(/epochs 3\.\.2/);
  });
});

describe('runHyperband', () => {
  const space = validateSearchSpace<Cfg>({ a: { kind: 'log', min: 1, max: 100 }, b: { kind: 'choice', values: [1, 2, 3] } }, { a: 1, b: 1 });
  // the score grows with epochs and with a: a trial's score is a·epochs/1000, so promotions are known in advance
  const score = (spec: TrialSpec<Cfg>) => (spec.settings.a! * spec.epochs) / 1000;
  const finished = (spec: TrialSpec<Cfg>): TrialOutcome => ({ status: 'finished', score: score(spec), bestEpoch: spec.epochs, curve: [], seconds: 1 });
  const options = { maxEpochs: 9, minEpochs: 1, eta: 3 };

  function driver(over: Partial<HyperbandDriver<Cfg>> = {}): HyperbandDriver<Cfg> & { ran: string[] } {
    const ran: string[] = [];
    return { ran, runTrial: async (spec) => (ran.push(spec.id), finished(spec)), recorded: () => null, outOfTime: () => false, ...over };
  }

  it('samples each bracket from the seed and promotes the best third at each rung', async () => {
    const d = driver();
    const result = await runHyperband(space, options, 5, d);
    // brackets for R 9: s=2 (9x1, 3x3, 1x9), s=1 (5x3, 1x9), s=0 (3x9)
    expect(result.trials.map((t) => t.spec.epochs)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 9, 3, 3, 3, 3, 3, 9, 9, 9, 9]);
    const rng = new Random(5);
    const first = Array.from({ length: 9 }, () => sampleSearchSpace(space, rng));
    expect(result.trials.slice(0, 9).map((t) => t.spec.settings)).toEqual(first);
    // rung 1 of bracket 2 trains the three largest a of the nine, best first
    const byA = first.map((s, c) => ({ c, a: s.a! })).sort((x, y) => y.a - x.a);
    expect(result.trials.slice(9, 12).map((t) => t.spec.config)).toEqual(byA.slice(0, 3).map((x) => x.c));
    expect(result.trials[12].spec.config).toBe(byA[0].c);
    expect(result.ended).toBe('complete');
    const top = Math.max(...result.trials.map((t) => t.outcome.score!));
    expect(result.best!.outcome.score).toBe(top);
  });

  it('resumes: recorded trials are not trained again and the choices are the same', async () => {
    const whole = await runHyperband(space, options, 9, driver());
    const cut = await runHyperband(space, options, 9, driver({ maxTrials: 11 }));
    expect(cut.ended).toBe('trials');
    const store = new Map(cut.trials.map((t) => [t.spec.id, t.outcome]));
    const again = driver({ recorded: (spec) => store.get(spec.id) ?? null });
    const resumed = await runHyperband(space, options, 9, again);
    expect(again.ran).toEqual(whole.trials.slice(11).map((t) => t.spec.id));
    expect(resumed.trials.map((t) => [t.spec.id, t.resumed])).toEqual(whole.trials.map((t, n) => [t.spec.id, n < 11]));
    expect(resumed.best!.spec.id).toBe(whole.best!.spec.id);
  });

  it('tries the portfolio first, in place of the first bracket\'s first samples, and promotes it on its score', async () => {
    const portfolio = validatePortfolio<Cfg>([{ a: 90 }, { a: 1, b: 3 }], space);
    const plain = await runHyperband(space, options, 5, driver());
    const result = await runHyperband(space, options, 5, driver(), portfolio);
    expect(result.trials.slice(0, 2).map((t) => t.spec.settings)).toEqual([{ a: 90 }, { a: 1, b: 3 }]);
    // the other samples are the ones drawn without a portfolio, in every bracket
    expect(result.trials.slice(2, 9).map((t) => t.spec.settings)).toEqual(plain.trials.slice(2, 9).map((t) => t.spec.settings));
    expect(result.trials.slice(13).map((t) => t.spec.settings)).toEqual(plain.trials.slice(13).map((t) => t.spec.settings));
    // a = 90 beats every sample of a in [1, 100] drawn here, so it goes on to the bracket's 9 epochs
    expect(result.trials[9].spec.config).toBe(0);
    expect(result.trials[12].spec).toMatchObject({ config: 0, epochs: 9, settings: { a: 90 } });
  });

  it('refuses a portfolio point outside the space, naming the setting and the range', () => {
    expect(() => validatePortfolio<Cfg>([{ a: 500 }], space)).toThrow(/portfolio\[0\]\.a.*\[1, 100\]/);
    expect(() => validatePortfolio<Cfg>([{}, { b: 7 }], space)).toThrow(/portfolio\[1\]\.b.*one of 1, 2, 3/);
    expect(() => validatePortfolio<Cfg & { c: number }>([{ c: 1 }], space)).toThrow(/portfolio\[0\]\.c.*setting of the search space/);
  });

  it('stops when the budget is spent and never promotes a failed trial', async () => {
    let calls = 0;
    const failing = driver({
      runTrial: async (spec) => (++calls === 1 ? { status: 'failed', score: null, bestEpoch: 0, curve: [], seconds: 0, error: 'boom' } : finished(spec)),
      outOfTime: () => calls >= 12,
    });
    const result = await runHyperband(space, options, 5, failing);
    expect(result.ended).toBe('budget');
    expect(result.trials).toHaveLength(12);
    expect(result.trials.slice(9).map((t) => t.spec.config)).not.toContain(0); // config 0 failed at rung 0
  });
});
