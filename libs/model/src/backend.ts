// Picks the fastest TensorFlow.js backend present: tfjs-node-gpu, then tfjs-node (optional dependencies that need
// libtensorflow at install), then wasm (XNNPACK, SIMD), then plain-JS cpu; says why the better ones were skipped.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ModelError } from './errors';

export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

/** Best first. */
export const BACKEND_PREFERENCE: readonly BackendName[] = Object.freeze(['node-gpu', 'node', 'wasm', 'cpu']);

const NODE_PACKAGES: Record<'node-gpu' | 'node', string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

export interface SkippedBackend {
  name: BackendName;
  reason: string;
}

export interface BackendChoice {
  name: BackendName;
  /** The name tfjs knows it by (`tensorflow` for both node packages). */
  tfBackend: string;
  /** The better backends that were tried and why each was not used. */
  skipped: SkippedBackend[];
}

export interface SelectBackendOptions {
  /** Use exactly this backend, or fail with BACKEND_UNAVAILABLE. */
  name?: BackendName;
}

/** Sets the tfjs backend to the best one available (or the named one) and reports the choice. */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const candidates = options.name ? [options.name] : BACKEND_PREFERENCE;
  if (options.name && !BACKEND_PREFERENCE.includes(options.name)) {
    throw new ModelError('BAD_USER_INPUT', `backend "${options.name}" is unknown; expected one of ${BACKEND_PREFERENCE.join(', ')}`);
  }
  const skipped: SkippedBackend[] = [];
  for (const name of candidates) {
    const reason = await tryBackend(name);
    if (reason === null) return { name, tfBackend: tf.getBackend(), skipped };
    skipped.push({ name, reason });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new ModelError('BACKEND_UNAVAILABLE', `no TensorFlow.js backend could start (${why})`);
}

/** One line for a log: `backend wasm (skipped node-gpu: not installed; node: not installed)`. */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  return `backend ${choice.name}${skipped ? ` (skipped ${skipped})` : ''}`;
}

/** null when `name` is now the active backend, otherwise why not. */
async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'node-gpu' || name === 'node') {
      const spec = NODE_PACKAGES[name];
      try {
        // a variable specifier: the package is optional and has no types here
        await import(spec);
      } catch (error) {
        return isModuleNotFound(error, spec) ? `${spec} is not installed (an optional dependency: it needs libtensorflow at install)` : `${spec} failed to load: ${messageOf(error)}`;
      }
      if (!(await tf.setBackend('tensorflow'))) return `${spec} loaded but its "tensorflow" backend did not start`;
      return null;
    }
    if (name === 'wasm') {
      // in Node the .wasm binaries are read from the package's dist folder; the paths can only be set before
      // the backend first initialises
      if (!tf.findBackend('wasm')) setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}${path.sep}dist${path.sep}`);
      if (!(await tf.setBackend('wasm'))) return 'the wasm backend did not initialise (see the warning above)';
      return null;
    }
    if (!(await tf.setBackend('cpu'))) return 'the cpu backend did not initialise';
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

function isModuleNotFound(error: unknown, spec: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'MODULE_NOT_FOUND' || /Cannot find module/.test(e?.message ?? '')) && (e?.message ?? '').includes(spec);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
