// tf.tidy for computations whose result is plain JS (typed arrays, numbers), shared by the models.
import * as tf from '@tensorflow/tfjs';

/**
 * Runs `fn` in a tf.tidy scope and returns its plain result: tf.tidy would walk a returned typed array element by
 * element looking for tensors, which costs more than a training step itself.
 */
export function tidyValue<T>(fn: () => T): T {
  let out: T | undefined;
  tf.tidy(() => {
    out = fn();
  });
  return out as T;
}
