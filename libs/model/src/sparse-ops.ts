// The embedding fast path. tf.gather's gradient is a dense UnsortedSegmentSum: about 22 s a step on `cpu` at
// 20k x 64 and missing on `wasm` (STACK.md). So tables live in Float32Arrays: a step gathers the rows it needs
// into small leaf tensors and applies the sparse update itself (scatter-add of row gradients), on any backend.
import * as tf from '@tensorflow/tfjs';

/** Rows `indices` of a row-major table of `width` columns, as a new [indices.length, width] array. */
export function gatherRows(table: Float32Array, width: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) {
    const start = indices[r] * width;
    out.set(table.subarray(start, start + width), r * width);
  }
  return out;
}

/** target[indices[r]] += rows[r] for every r; repeated indices accumulate (the gradient of gatherRows). */
export function scatterAddRows(target: Float32Array, width: number, indices: Int32Array, rows: Float32Array): void {
  for (let r = 0; r < indices.length; r++) {
    const t = indices[r] * width;
    const s = r * width;
    for (let c = 0; c < width; c++) target[t + c] += rows[s + c];
  }
}

/** out[b, s] = q[b] · table[indices[b * slots + s]], q row-major [batch, width]. */
export function gatheredDot(q: Float32Array, table: Float32Array, width: number, indices: Int32Array, slots: number): Float32Array {
  const out = new Float32Array(indices.length);
  const tail = width & ~3;
  for (let p = 0; p < indices.length; p++) {
    const qo = ((p / slots) | 0) * width;
    const xo = indices[p] * width;
    // four accumulators: independent chains let the CPU overlap the multiply-adds
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let c = 0;
    for (; c < tail; c += 4) {
      a0 += q[qo + c] * table[xo + c];
      a1 += q[qo + c + 1] * table[xo + c + 1];
      a2 += q[qo + c + 2] * table[xo + c + 2];
      a3 += q[qo + c + 3] * table[xo + c + 3];
    }
    for (; c < width; c++) a0 += q[qo + c] * table[xo + c];
    out[p] = a0 + a1 + a2 + a3;
  }
  return out;
}

/** The gradient of gatheredDot in q: dq[b] = Σ_s dy[b, s] · table[indices[b * slots + s]], [batch, width]. */
export function gatheredAxpy(dy: Float32Array, table: Float32Array, width: number, indices: Int32Array, slots: number, batch: number): Float32Array {
  const dq = new Float32Array(batch * width);
  for (let p = 0; p < indices.length; p++) {
    const g = dy[p];
    if (g === 0) continue;
    const qo = ((p / slots) | 0) * width;
    const xo = indices[p] * width;
    for (let c = 0; c < width; c++) dq[qo + c] += g * table[xo + c];
  }
  return dq;
}

/** How featureDot runs: plain loops over Float32Arrays, or tf.gather + tf ops (for GPU or native backends). */
export type FeatureDotStrategy = 'js' | 'tf';

/** `js` where tensors live in JS-reachable memory (cpu, wasm), `tf` elsewhere. */
export function defaultFeatureDotStrategy(backend: string = tf.getBackend()): FeatureDotStrategy {
  return backend === 'cpu' || backend === 'wasm' ? 'js' : 'tf';
}

/** A constant row-major table [rows, width] (item features), with a tensor copy made on first use. */
export class ConstantTable {
  private tensor: tf.Tensor2D | null = null;

  constructor(
    readonly data: Float32Array,
    readonly rows: number,
    readonly width: number,
  ) {}

  asTensor(): tf.Tensor2D {
    if (this.tensor === null || this.tensor.isDisposed) this.tensor = tf.keep(tf.tensor2d(this.data, [this.rows, this.width]));
    return this.tensor;
  }

  dispose(): void {
    this.tensor?.dispose();
    this.tensor = null;
  }
}

/**
 * out[b, s] = q[b] · table[indices[b * slots + s]], differentiable in q: the user-side form of the feature score
 * (METHOD.md cost notes), which never materialises the gathered [batch, slots, width] block on the `js` path.
 */
export function featureDot(
  q: tf.Tensor2D, // [batch, width]
  table: ConstantTable,
  indices: Int32Array, // [batch * slots]
  slots: number,
  strategy: FeatureDotStrategy = defaultFeatureDotStrategy(),
): tf.Tensor2D {
  const [batch, width] = q.shape;
  if (strategy === 'tf') {
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const rows = tf.reshape(tf.gather(table.asTensor(), idx), [batch, slots, width]);
      return tf.sum(tf.mul(rows, tf.expandDims(q, 1)), -1) as tf.Tensor2D; // [batch, slots]
    });
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const qData = (args[0] as tf.Tensor).dataSync() as Float32Array;
    return {
      value: tf.tensor2d(gatheredDot(qData, table.data, width, indices, slots), [batch, slots]),
      gradFunc: (dy: tf.Tensor) => tf.tensor2d(gatheredAxpy(dy.dataSync() as Float32Array, table.data, width, indices, slots, batch), [batch, width]),
    };
  });
  return op(q) as tf.Tensor2D;
}

/**
 * a · b whose forward and backward products are all untransposed: tfjs-backend-wasm runs a transposed matMul
 * about 10 times slower than an explicit transpose followed by a plain one.
 */
export function matMulPlain(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [aIn, bIn] = args as tf.Tensor2D[];
    (args[2] as tf.GradSaveFunc)([aIn, bIn]);
    return {
      value: tf.matMul(aIn, bIn),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
      },
    };
  });
  return op(a, b) as tf.Tensor2D;
}
