// The embedding fast path. tf.gather's gradient is a dense UnsortedSegmentSum: about 22 s a step on `cpu` at
// 20k x 64 and missing on `wasm` (docs/stack.md#tensorflowjs). So tables live in Float32Arrays, and the one op that reads them,
// gatheredDot, has a custom gradient that applies the sparse update itself: the rows it read get
// Σ dy · left added to the table's gradient buffer, and nothing else is touched. It runs on every backend; tables
// held in a KernelArena are read by SIMD kernels, the rest by the plain loops below.
import * as tf from '@tensorflow/tfjs';
import { KernelArena } from './kernel-arena';

/** A row-major table [rows, width]; when `grad` is present, gatheredDot adds the table's gradient into it. */
export interface RowTable {
  data: Float32Array;
  rows: number;
  width: number;
  grad?: Float32Array;
}

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

/** out[b * slots + s] = left[b] · table[indices[b * slots + s]], left row-major [batch, width]. */
export function gatheredDotForward(left: Float32Array, table: Float32Array, width: number, indices: Int32Array, slots: number): Float32Array {
  const out = new Float32Array(indices.length);
  const batch = indices.length / slots;
  for (let b = 0; b < batch; b++) {
    const lo = b * width;
    const base = b * slots;
    let s = 0;
    // four slots at a time: each load of left[b] feeds four independent multiply-add chains
    for (; s + 4 <= slots; s += 4) {
      const t0 = indices[base + s] * width;
      const t1 = indices[base + s + 1] * width;
      const t2 = indices[base + s + 2] * width;
      const t3 = indices[base + s + 3] * width;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let c = 0; c < width; c++) {
        const l = left[lo + c];
        a0 += l * table[t0 + c];
        a1 += l * table[t1 + c];
        a2 += l * table[t2 + c];
        a3 += l * table[t3 + c];
      }
      out[base + s] = a0;
      out[base + s + 1] = a1;
      out[base + s + 2] = a2;
      out[base + s + 3] = a3;
    }
    for (; s < slots; s++) {
      const t0 = indices[base + s] * width;
      let a0 = 0;
      for (let c = 0; c < width; c++) a0 += left[lo + c] * table[t0 + c];
      out[base + s] = a0;
    }
  }
  return out;
}

/**
 * Both gradients of gatheredDotForward: returns dLeft[b] = Σ_s dy[b, s] · table[indices[b, s]] and, when
 * `tableGrad` is given, adds tableGrad[indices[b, s]] += dy[b, s] · left[b] (repeated rows accumulate).
 */
export function gatheredDotBackward(
  dy: Float32Array,
  left: Float32Array,
  table: Float32Array,
  width: number,
  indices: Int32Array,
  slots: number,
  tableGrad: Float32Array | undefined,
): Float32Array {
  const dLeft = new Float32Array(left.length);
  const batch = indices.length / slots;
  const tail = width - (width % 8);
  for (let b = 0; b < batch; b++) {
    const lo = b * width;
    const base = b * slots;
    // eight columns of dLeft[b] stay in registers while the slots stream past
    for (let c = 0; c < tail; c += 8) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      for (let s = 0; s < slots; s++) {
        const g = dy[base + s];
        const to = indices[base + s] * width + c;
        a0 += g * table[to];
        a1 += g * table[to + 1];
        a2 += g * table[to + 2];
        a3 += g * table[to + 3];
        a4 += g * table[to + 4];
        a5 += g * table[to + 5];
        a6 += g * table[to + 6];
        a7 += g * table[to + 7];
      }
      dLeft[lo + c] = a0;
      dLeft[lo + c + 1] = a1;
      dLeft[lo + c + 2] = a2;
      dLeft[lo + c + 3] = a3;
      dLeft[lo + c + 4] = a4;
      dLeft[lo + c + 5] = a5;
      dLeft[lo + c + 6] = a6;
      dLeft[lo + c + 7] = a7;
    }
    for (let c = tail; c < width; c++) {
      let a = 0;
      for (let s = 0; s < slots; s++) a += dy[base + s] * table[indices[base + s] * width + c];
      dLeft[lo + c] = a;
    }
    if (tableGrad) {
      for (let s = 0; s < slots; s++) {
        const g = dy[base + s];
        if (g === 0) continue;
        const to = indices[base + s] * width;
        for (let c = 0; c < width; c++) tableGrad[to + c] += g * left[lo + c];
      }
    }
  }
  return dLeft;
}

/**
 * out[b, s] = left[b] · table[indices[b * slots + s]], [batch, slots], differentiable in `left`; the table's
 * gradient goes into `table.grad` (when present) as a side effect of the backward pass.
 */
export function gatheredDot(left: tf.Tensor2D, table: RowTable, indices: Int32Array, slots: number): tf.Tensor2D {
  const [batch, width] = left.shape;
  if (width !== table.width || indices.length !== batch * slots) {
    throw new RangeError(`gatheredDot: left [${batch}, ${width}], table width ${table.width}, ${indices.length} indices; expected width ${table.width} and ${batch} x ${slots} indices`);
  }
  // tables that live in a KernelArena are read by the SIMD kernels, others (or calls too big for the arena's
  // scratch) by the JS loops
  const arena = KernelArena.owning(table.data);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const leftData = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const out = arena?.dotForward(leftData, table.data, width, indices, slots) ?? gatheredDotForward(leftData, table.data, width, indices, slots);
    return {
      value: tf.tensor2d(out, [batch, slots]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dLeft =
          arena?.dotBackward(g, leftData, table.data, width, indices, slots, table.grad) ??
          gatheredDotBackward(g, leftData, table.data, width, indices, slots, table.grad);
        return tf.tensor2d(dLeft, [batch, width]);
      },
    };
  });
  return op(left) as tf.Tensor2D;
}

/** How the constant feature table is read: gatheredDot's loops, or tf.gather + tf ops (an independent path). */
export type FeatureDotStrategy = 'js' | 'tf';

/** A constant row-major table [rows, width] (item features), with a tensor copy for whole-catalogue products. */
export class ConstantTable implements RowTable {
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
 * out[b, s] = q[b] · x_(indices[b * slots + s]), differentiable in q: the user-side form of the feature score
 * (docs/method.md#cost-notes). `js` never materialises the gathered [batch, slots, width] block; `tf` does.
 */
export function featureDot(
  q: tf.Tensor2D, // [batch, width]
  table: ConstantTable,
  indices: Int32Array, // [batch * slots]
  slots: number,
  strategy: FeatureDotStrategy = 'js',
): tf.Tensor2D {
  if (strategy === 'js') return gatheredDot(q, table, indices, slots);
  const [batch, width] = q.shape;
  return tf.tidy(() => {
    const rows = tf.reshape(tf.gather(table.asTensor(), tf.tensor1d(indices, 'int32')), [batch, slots, width]);
    return tf.sum(tf.mul(rows, tf.expandDims(q, 1)), -1) as tf.Tensor2D; // [batch, slots]
  });
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

/**
 * out[b] = Σ_s weights[b, s] · table[indices[b * slots + s]], [batch, width], differentiable in `weights`: the
 * transpose of gatheredDot. It writes a per-environment gradient ∂L_e/∂W as a tensor expression, so that an
 * invariance penalty on those gradients can itself be differentiated (docs/method.md#3-invariant-part).
 */
export function gatheredSum(weights: tf.Tensor2D, table: RowTable, indices: Int32Array): tf.Tensor2D {
  const [batch, slots] = weights.shape;
  const width = table.width;
  if (indices.length !== batch * slots) throw new RangeError(`gatheredSum: weights [${batch}, ${slots}] but ${indices.length} indices`);
  const arena = KernelArena.owning(table.data);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const w = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const unused = new Float32Array(batch * width); // dotBackward's `left`, read only for a table gradient
    const out = arena?.dotBackward(w, unused, table.data, width, indices, slots, undefined) ?? gatheredDotBackward(w, unused, table.data, width, indices, slots, undefined);
    return {
      value: tf.tensor2d(out, [batch, width]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        return tf.tensor2d(arena?.dotForward(g, table.data, width, indices, slots) ?? gatheredDotForward(g, table.data, width, indices, slots), [batch, slots]);
      },
    };
  });
  return op(weights) as tf.Tensor2D;
}
