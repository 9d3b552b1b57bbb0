// The main job's background tuning: the child `eior tune` it starts (its options accepted, its output logged, its
// exit reported, a stop that ends it) and how its log's last line says which version it made current.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../apps/cli/src/config';
import { backgroundTuneArgs, madeCurrent, startBackgroundTuning } from '../../../apps/cli/src/start/background-tuning';
import { tempDir } from '../../helpers/temp-dir';

describe('background tuning', () => {
  const tmp = tempDir('background-tuning');

  afterAll(() => tmp.remove());

  it('reads the version made current from the JSON summary on the log\'s last line, and nothing else', () => {
    const log = path.join(tmp.dir, 'tune.log');
    const progress = 'tuning eior on \'d\' (t0123456789): Hyperband over lr\n  tuning [=====] 3/6 trials\n';
    writeFileSync(log, `${progress}${JSON.stringify({ training: { version: 'v0007', current: true } })}\n`);
    expect(madeCurrent(log)).toBe('v0007');
    writeFileSync(log, `${progress}${JSON.stringify({ training: { version: 'v0007', current: false } })}\n`);
    expect(madeCurrent(log)).toBeNull();
    writeFileSync(log, `${progress}${JSON.stringify({ training: null, version: 'v0005' })}\n`); // the best was trained earlier
    expect(madeCurrent(log)).toBeNull();
    writeFileSync(log, `${progress}{"training": {"version": "v0007", "curr`); // cut mid-line
    expect(madeCurrent(log)).toBeNull();
    writeFileSync(log, progress);
    expect(madeCurrent(log)).toBeNull();
  });

  it('budgets the tuning in whole seconds, at least one, and replaces the served version only by a better one', () => {
    expect(backgroundTuneArgs('tiktok', 600)).toEqual(['tune', '--dataset', 'tiktok', '--model', 'eior', '--budget', '600s', '--max-epochs', '27', '--only-if-better', '--json']);
    expect(backgroundTuneArgs('d', 0.2)).toContain('1s');
  });

  it('starts `eior tune` with options it accepts, logs what it prints, and reports its exit', async () => {
    // no graph answers at this address: the tune fails after parsing its options, with exit 1 and the reason logged
    const env = { EIOR_HOME: path.join(tmp.dir, 'home'), NEO4J_URI: 'bolt://127.0.0.1:9' };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const tuning = startBackgroundTuning(loadConfig(), 'no-such-dataset', 5);
      expect(path.dirname(tuning.log)).toBe(path.join(env.EIOR_HOME, 'logs'));
      const outcome = await tuning.done;
      const log = readFileSync(tuning.log, 'utf8');
      expect(log).not.toMatch(/unknown option|error: option|missing required argument/);
      expect(log).toMatch(/cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:9/);
      expect(outcome.code).not.toBe(0);
      expect(outcome.code).not.toBe(2); // 2: the CLI refused its arguments
      expect(outcome.servedVersion).toBeNull();
      await tuning.stop(); // already ended: returns at once
    } finally {
      process.env = saved;
    }
  }, 60_000);

  it('stops a running tuning', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { EIOR_HOME: path.join(tmp.dir, 'home2'), NEO4J_URI: 'bolt://127.0.0.1:9' });
    try {
      const tuning = startBackgroundTuning(loadConfig(), 'no-such-dataset', 5);
      await tuning.stop();
      const outcome = await tuning.done;
      expect(outcome.servedVersion).toBeNull();
    } finally {
      process.env = saved;
    }
  }, 60_000);
});
