// The user-history term of UltraGCN's user vector [ours, after SVD++ (Koren, KDD 2008) and one user-side step of
// LightGCN]: e'_u = e_u + w · mean_{j ∈ N(u)} e_j, so a user with few train items borrows the item vectors that many
// users train (docs/method.md#user-history). With e_j = [V_j ; W x_j + b] the feature half of the mean is W x̄_u + b,
// x̄_u the mean of the user's item features, a constant of the data. With `userHistoryFeatures` off (x null here)
// only the ID half borrows: e'_u = [e_u_id + w · mean V_j ; e_u_f].
import * as tf from '@tensorflow/tfjs';
import type { CsrIndex } from './interactions';
import { matMulPlain, type RowTable } from './sparse-ops';

/** The feature side of the mean: x̄_u per user and the current projection. */
export interface HistoryProjection {
  W: Float32Array; // [d, featureDim]
  b: Float32Array; // [featureDim]
}

export class UserHistory {
  /** x̄_u, [numUsers, d] (empty without features). */
  private readonly meanX: Float32Array;

  constructor(
    private readonly userItems: CsrIndex,
    readonly weight: number,
    private readonly x: { data: Float32Array; width: number } | null,
  ) {
    const numUsers = userItems.offsets.length - 1;
    this.meanX = x ? this.meanRows(Int32Array.from({ length: numUsers }, (_, u) => u), x.data, x.width, 1) : new Float32Array(0);
  }

  /**
   * e'_u for `users` from the stored e_u (`userTable`, rows of `userDim` = idDim + featureDim): the plain-array form
   * that scoring, explanations and folding read.
   */
  effectiveRows(users: Int32Array, userTable: Float32Array, userDim: number, V: RowTable, projection: HistoryProjection | null): Float32Array {
    const idDim = V.width;
    const out = new Float32Array(users.length * userDim);
    const d = this.x ? this.x.width : 0;
    const featureDim = projection ? projection.b.length : 0;
    const idMeans = this.meanRows(users, V.data, idDim, this.weight);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      const row = out.subarray(r * userDim, (r + 1) * userDim);
      row.set(userTable.subarray(u * userDim, (u + 1) * userDim));
      for (let k = 0; k < idDim; k++) row[k] += idMeans[r * idDim + k];
      if (!projection || !this.x || this.userItems.offsets[u + 1] === this.userItems.offsets[u]) continue;
      const xbar = this.meanX.subarray(u * d, (u + 1) * d);
      for (let k = 0; k < featureDim; k++) {
        let s = projection.b[k];
        for (let c = 0; c < d; c++) s += xbar[c] * projection.W[c * featureDim + k];
        row[idDim + k] += this.weight * s;
      }
    }
    return out;
  }

  /**
   * The differentiable e'_u of a training step: `userRows` [n, userDim] (a leaf) plus the history; ∂/∂V goes into
   * `V.grad` as a side effect of the backward pass (as gatheredDot's does), ∂/∂W and ∂/∂b through the tensors given.
   * With `leaveOut` (row r's positive item) each row's mean is taken over N(u) without that item, as FISM (Kabbur et
   * al., KDD 2013) leaves the target out: otherwise the positive scores itself through the mean (a self-term
   * w ‖e_i‖² / |N(u)| the negatives lack) and the model learns norms instead of taste (docs/method.md#user-history).
   */
  effectiveTensor(userRows: tf.Tensor2D, users: Int32Array, V: RowTable, W?: tf.Tensor2D, b?: tf.Tensor1D, leaveOut?: Int32Array): tf.Tensor2D {
    const [n, userDim] = userRows.shape;
    const idDim = V.width;
    const idPart = W ? tf.slice(userRows, [0, 0], [n, idDim]) : userRows;
    const withIds = this.addItemMean(idPart as tf.Tensor2D, users, V, leaveOut);
    if (!W || !b) return withIds;
    const featureDim = userDim - idDim;
    if (!this.x) return tf.concat([withIds, tf.slice(userRows, [0, idDim], [n, featureDim])], 1) as tf.Tensor2D;
    const d = this.x.width;
    const xbar = new Float32Array(n * d);
    const present = new Float32Array(n).fill(1); // 0 where leaving the row's item out empties the mean
    for (let r = 0; r < n; r++) {
      const u = users[r];
      const row = xbar.subarray(r * d, (r + 1) * d);
      row.set(this.meanX.subarray(u * d, (u + 1) * d));
      if (!leaveOut) continue;
      const count = this.userItems.offsets[u + 1] - this.userItems.offsets[u];
      if (count <= 1) {
        row.fill(0);
        present[r] = 0;
        continue;
      }
      const xi = this.x.data.subarray(leaveOut[r] * d, (leaveOut[r] + 1) * d);
      for (let c = 0; c < d; c++) row[c] = (count * row[c] - xi[c]) / (count - 1); // x̄_u without x_i
    }
    const projected = tf.mul(tf.add(matMulPlain(tf.tensor2d(xbar, [n, d]), W), b), tf.tensor2d(present, [n, 1])); // [n, featureDim] = x̄_u W + b
    const featPart = tf.add(tf.slice(userRows, [0, idDim], [n, featureDim]), tf.mul(projected, this.weight));
    return tf.concat([withIds, featPart], 1) as tf.Tensor2D;
  }

  /**
   * rows + w · mean_{j ∈ N(u)} V_j (without row r's `leaveOut` item when given), differentiable in `rows`; V's gradient
   * lands in V.grad. A batch repeats its heavy users (rows are drawn by edge), so each distinct user's sum is computed
   * once and its rows' gradients are summed before they reach V: the cost is the distinct users' degrees, not the rows'.
   */
  private addItemMean(rows: tf.Tensor2D, users: Int32Array, V: RowTable, leaveOut?: Int32Array): tf.Tensor2D {
    const [n, width] = rows.shape;
    const { offsets, cols } = this.userItems;
    const weight = this.weight;
    const distinct: number[] = [];
    const slotOf = new Map<number, number>();
    const rowSlot = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      let slot = slotOf.get(users[r]);
      if (slot === undefined) {
        slot = distinct.length;
        slotOf.set(users[r], slot);
        distinct.push(users[r]);
      }
      rowSlot[r] = slot;
    }
    // w / |the averaged set| per distinct user: N(u), or N(u) less one item; 0 where the set is empty
    const scale = new Float64Array(distinct.length);
    for (let s = 0; s < distinct.length; s++) {
      const size = offsets[distinct[s] + 1] - offsets[distinct[s]] - (leaveOut ? 1 : 0);
      scale[s] = size > 0 ? weight / size : 0;
    }
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const means = this.scaledSums(distinct, V.data, width, scale); // w · mean over N(u), or w · Σ / (|N(u)| − 1)
      const out = Float32Array.from((args[0] as tf.Tensor).dataSync() as Float32Array);
      for (let r = 0; r < n; r++) {
        const s = rowSlot[r];
        const o = s * width;
        for (let k = 0; k < width; k++) out[r * width + k] += means[o + k];
        const c = scale[s];
        if (!leaveOut || c === 0) continue;
        const io = leaveOut[r] * width;
        for (let k = 0; k < width; k++) out[r * width + k] -= c * V.data[io + k];
      }
      return {
        value: tf.tensor2d(out, [n, width]),
        gradFunc: (dy: tf.Tensor) => {
          const g = dy.dataSync() as Float32Array;
          const grad = V.grad;
          if (grad) {
            const summed = new Float32Array(distinct.length * width);
            for (let r = 0; r < n; r++) {
              const o = rowSlot[r] * width;
              for (let k = 0; k < width; k++) summed[o + k] += g[r * width + k];
            }
            for (let s = 0; s < distinct.length; s++) {
              if (scale[s] === 0) continue;
              const o = s * width;
              for (let e = offsets[distinct[s]]; e < offsets[distinct[s] + 1]; e++) {
                const jo = cols[e] * width;
                for (let k = 0; k < width; k++) grad[jo + k] += scale[s] * summed[o + k];
              }
            }
            if (leaveOut) {
              for (let r = 0; r < n; r++) {
                const c = scale[rowSlot[r]];
                const io = leaveOut[r] * width;
                for (let k = 0; k < width; k++) grad[io + k] -= c * g[r * width + k];
              }
            }
          }
          return tf.tensor2d(g, [n, width]);
        },
      };
    });
    return op(rows) as tf.Tensor2D;
  }

  /** scale · mean of `table`'s rows over N(u) for each of `users`, [users.length, width]; zero for a user with none. */
  private meanRows(users: ArrayLike<number>, table: Float32Array, width: number, scale: number): Float32Array {
    const { offsets } = this.userItems;
    const shares = Float64Array.from(users, (u) => (offsets[u + 1] > offsets[u] ? scale / (offsets[u + 1] - offsets[u]) : 0));
    return this.scaledSums(users, table, width, shares);
  }

  /** shares[r] · Σ_{j ∈ N(users[r])} table_j for each of `users`, [users.length, width]. */
  private scaledSums(users: ArrayLike<number>, table: Float32Array, width: number, shares: ArrayLike<number>): Float32Array {
    const { offsets, cols } = this.userItems;
    const out = new Float32Array(users.length * width);
    for (let r = 0; r < users.length; r++) {
      const share = shares[r];
      if (share === 0) continue;
      const o = r * width;
      for (let e = offsets[users[r]]; e < offsets[users[r] + 1]; e++) {
        const jo = cols[e] * width;
        for (let k = 0; k < width; k++) out[o + k] += share * table[jo + k];
      }
    }
    return out;
  }
}
