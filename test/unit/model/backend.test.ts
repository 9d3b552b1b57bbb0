import * as tf from '@tensorflow/tfjs';
import { BACKEND_PREFERENCE, describeBackendChoice, selectBackend, UltraGcn, type BackendName } from '@eior/model';
import { tinyDataset, TINY_BATCH, TINY_CONFIG } from './fixtures';

const data = tinyDataset();

function stepOn(strategy: 'js' | 'tf'): { lossL: number; lossI: number; grads: Map<string, Float32Array>; scores: Float32Array } {
  const model = new UltraGcn(data, TINY_CONFIG, { featureDotStrategy: strategy });
  const scores = model.scoreAllItems(Int32Array.from([0, 1, 2, 3]));
  const result = { ...model.lossAndGradients(TINY_BATCH), scores };
  model.dispose();
  return result;
}

describe('selectBackend', () => {
  it('uses the named backend', async () => {
    const choice = await selectBackend({ name: 'cpu' });
    expect(choice).toEqual({ name: 'cpu', tfBackend: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('prefers the native packages and says why it skipped them when they are absent', async () => {
    const choice = await selectBackend();
    expect(BACKEND_PREFERENCE.indexOf(choice.name)).toBeGreaterThanOrEqual(0);
    for (const skipped of choice.skipped) {
      expect(BACKEND_PREFERENCE.indexOf(skipped.name)).toBeLessThan(BACKEND_PREFERENCE.indexOf(choice.name));
      expect(skipped.reason.length).toBeGreaterThan(0);
    }
    // on machines without libtensorflow (this one) both -node packages are missing and wasm is chosen
    if (choice.name === 'wasm') {
      expect(choice.skipped.map((s) => s.name)).toEqual(['node-gpu', 'node']);
      expect(choice.skipped[0].reason).toMatch(/not installed|failed to load/);
    }
    expect(describeBackendChoice(choice)).toMatch(new RegExp(`^backend ${choice.name}`));
  });

  it('fails with BACKEND_UNAVAILABLE for a named backend that cannot start, and BAD_USER_INPUT for an unknown one', async () => {
    const missing = (await selectBackend()).skipped[0]?.name;
    if (missing) await expect(selectBackend({ name: missing })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    await expect(selectBackend({ name: 'webgpu' as BackendName })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('UltraGcn on wasm', () => {
  it('computes the same losses, gradients and scores as on cpu, with either feature path', async () => {
    await selectBackend({ name: 'cpu' });
    const onCpu = stepOn('js');
    await selectBackend({ name: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    for (const strategy of ['js', 'tf'] as const) {
      const onWasm = stepOn(strategy);
      expect(onWasm.lossL).toBeCloseTo(onCpu.lossL, 4);
      expect(onWasm.lossI).toBeCloseTo(onCpu.lossI, 4);
      onCpu.scores.forEach((s, k) => expect(onWasm.scores[k]).toBeCloseTo(s, 4));
      for (const [name, g] of onCpu.grads) g.forEach((v, e) => expect(onWasm.grads.get(name)![e]).toBeCloseTo(v, 4));
    }
  });
});
