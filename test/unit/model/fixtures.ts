// Test fixtures for @eior/model: a tiny hand-sized dataset, a synthetic dataset with a planted structure (users
// with taste vectors, items with features), a frozen backbone of content alone for the invariance stage's tests, and a
// plain-loop float64 UltraGCN loss written independently of tfjs.
import { ConstantTable, Random, computeGraphStats, type EdgeList, type FrozenBackbone, type RecDataset, type TrainBatch, type UltraGcnConfig } from '@eior/model';

export function edges(pairs: [number, number][]): EdgeList {
  return { users: Int32Array.from(pairs.map((p) => p[0])), items: Int32Array.from(pairs.map((p) => p[1])) };
}

/** 4 users, 6 items, two modalities (widths 3 and 2; item 5 misses the second). */
export function tinyDataset(): RecDataset {
  return {
    numUsers: 4,
    numItems: 6,
    train: edges([[0, 0], [0, 1], [0, 3], [1, 1], [1, 2], [2, 0], [2, 1], [2, 4], [3, 5], [3, 2]]),
    valid: edges([[0, 2], [1, 4]]),
    test: edges([[2, 3], [3, 0]]),
    features: [
      { modality: 'image', width: 3, data: Float32Array.from([1, 0, 2, 0, 3, 4, 1, 1, 1, -2, 0, 1, 0.5, 0.5, 0, 3, -1, 2]) },
      { modality: 'audio', width: 2, data: Float32Array.from([1, 2, 0, 1, 3, 4, 1, -1, 2, 2, 0, 0]) },
    ],
  };
}

/** A config for the tiny dataset that exercises every term with distinct weights. */
export const TINY_CONFIG: UltraGcnConfig = {
  w1: 0.1,
  w2: 1,
  w3: 0.2,
  w4: 0.9,
  negativeNum: 3,
  negativeWeight: 1.5,
  softmaxTemperature: 0,
  userHistoryWeight: 0,
  userHistoryFeatures: true,
  userHistoryLeaveOneOut: false,
  idPretrain: false,
  featurePatience: 0,
  lambda: 0.5,
  iiNeighborNum: 2,
  iiDiagonalZero: false,
  iiContentNeighborNum: 0,
  iiContentWeight: 0,
  gamma: 0.01,
  projectionGamma: 0.05,
  lr: 0.01,
  batchSize: 4,
  idDim: 3,
  featureDim: 2,
  initStd: 0.4,
  epochs: 2,
  patience: 2,
  evalEvery: 1,
  excludePositives: false,
  useFeatures: true,
  centerFeatures: false,
  popularityInit: false,
  seed: 7,
};

/** Repeats user 0 and items 0, 1 and 4 inside and across slots, so the sparse updates must accumulate. */
export const TINY_BATCH: TrainBatch = {
  users: Int32Array.from([0, 1, 0]),
  posItems: Int32Array.from([1, 2, 3]),
  negItems: Int32Array.from([4, 1, 5, 0, 0, 3, 2, 5, 4]),
};

/** Widths that are multiples of 8 (idDim 8, featureDim 8, x of 5 + 3 columns), so the SIMD kernels take every call. */
export function wideDataset(): RecDataset {
  const rng = new Random(99);
  return {
    numUsers: 5,
    numItems: 9,
    train: edges([[0, 0], [0, 4], [1, 1], [1, 4], [1, 8], [2, 2], [2, 3], [3, 5], [3, 6], [4, 7], [4, 0], [4, 4]]),
    valid: edges([[0, 1]]),
    test: edges([[1, 2]]),
    features: [
      { modality: 'image', width: 5, data: rng.normalArray(45, 1) },
      { modality: 'audio', width: 3, data: rng.normalArray(27, 1) },
    ],
  };
}

export const WIDE_CONFIG: UltraGcnConfig = { ...TINY_CONFIG, idDim: 8, featureDim: 8, batchSize: 8 };

/** Repeats user 1 and items 0 and 4 across slots. */
export const WIDE_BATCH: TrainBatch = {
  users: Int32Array.from([1, 0, 1, 4]),
  posItems: Int32Array.from([4, 0, 8, 4]),
  negItems: Int32Array.from([0, 3, 4, 4, 2, 7, 6, 0, 0, 1, 5, 8]),
};

export interface ReferenceParams {
  user: Float64Array; // [numUsers, idDim + featureDim]
  itemId: Float64Array; // [numItems, idDim]
  W?: Float64Array; // [d, featureDim]
  b?: Float64Array; // [featureDim]
}

export interface ReferenceGraph {
  betaUser: ArrayLike<number>;
  betaItem: ArrayLike<number>;
  neighbors: ArrayLike<number>;
  neighborWeights: ArrayLike<number>;
  neighborNum: number;
}

const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** s(u, i) = e_u · e_i with e_i = [V_i ; W x_i + b], by loops. */
export function referenceScore(p: ReferenceParams, x: Float32Array | null, d: number, idDim: number, featureDim: number, u: number, i: number): number {
  const userDim = idDim + (p.W ? featureDim : 0);
  let s = 0;
  for (let c = 0; c < idDim; c++) s += p.user[u * userDim + c] * p.itemId[i * idDim + c];
  if (p.W && p.b && x) {
    for (let f = 0; f < featureDim; f++) {
      let proj = p.b[f];
      for (let k = 0; k < d; k++) proj += x[i * d + k] * p.W[k * featureDim + f];
      s += p.user[u * userDim + idDim + f] * proj;
    }
  }
  return s;
}

/** L_L, L_I and Σ γ ½‖θ‖² of a batch by plain loops in float64 (official cal_loss_L / cal_loss_I / norm_loss). */
export function referenceLoss(
  p: ReferenceParams,
  x: Float32Array | null,
  d: number,
  graph: ReferenceGraph,
  config: UltraGcnConfig,
  batch: TrainBatch,
): { lossL: number; lossI: number; l2: number } {
  const n = batch.negItems.length / batch.users.length;
  const score = (u: number, i: number): number => referenceScore(p, x, d, config.idDim, config.featureDim, u, i);
  let lossL = 0;
  let lossI = 0;
  for (let r = 0; r < batch.users.length; r++) {
    const u = batch.users[r];
    const i = batch.posItems[r];
    lossL += (config.w1 + config.w2 * graph.betaUser[u] * graph.betaItem[i]) * softplus(-score(u, i));
    let neg = 0;
    for (let s = 0; s < n; s++) {
      const j = batch.negItems[r * n + s];
      neg += (config.w3 + config.w4 * graph.betaUser[u] * graph.betaItem[j]) * softplus(score(u, j));
    }
    lossL += (config.negativeWeight * neg) / n;
    if (config.lambda > 0) {
      for (let s = 0; s < graph.neighborNum; s++) {
        const j = graph.neighbors[i * graph.neighborNum + s];
        lossI += graph.neighborWeights[i * graph.neighborNum + s] * -Math.log(1 / (1 + Math.exp(-score(u, j))));
      }
    }
  }
  const half = (arrays: (Float64Array | undefined)[]): number => arrays.reduce((s, arr) => s + (arr ? arr.reduce((t, v) => t + v * v, 0) : 0), 0) / 2;
  // γ on the embeddings, γ_W on the projection
  return { lossL, lossI, l2: config.gamma * half([p.user, p.itemId]) + config.projectionGamma * half([p.W, p.b]) };
}

/**
 * A dataset with a planted structure: user u likes item i with probability ∝ exp(sharpness · t_u · a_i); the two
 * feature modalities are noisy linear views of a_i, and a handful of items are made popular regardless of taste.
 */
export function syntheticDataset(options: { users: number; items: number; perUser: number; seed: number; latent?: number }): RecDataset {
  const { users, items, perUser, seed } = options;
  const latent = options.latent ?? 4;
  const rng = new Random(seed);
  const taste = rng.normalArray(users * latent, 1);
  const attr = rng.normalArray(items * latent, 1);
  const splits: [number, number][][] = [[], [], []];
  for (let u = 0; u < users; u++) {
    // Gumbel-top-k: a sample without replacement from softmax(2.5 t_u · a_i + popularity bonus)
    const keys = new Float64Array(items);
    for (let i = 0; i < items; i++) {
      let dot = 0;
      for (let c = 0; c < latent; c++) dot += taste[u * latent + c] * attr[i * latent + c];
      const bonus = i % 15 === 0 ? 1.5 : 0;
      keys[i] = 2.5 * dot + bonus - Math.log(-Math.log(Math.max(rng.nextFloat(), 1e-12)));
    }
    const chosen = Array.from(keys.keys()).sort((a, b) => keys[b] - keys[a]).slice(0, perUser);
    chosen.forEach((i, k) => splits[k === 0 ? 1 : k === 1 ? 2 : 0].push([u, i]));
  }
  const viewA = new Float32Array(items * 6);
  const viewB = new Float32Array(items * 3);
  for (let i = 0; i < items; i++) {
    for (let c = 0; c < 6; c++) viewA[i * 6 + c] = attr[i * latent + (c % latent)] * (c < latent ? 1 : -0.5) + 0.2 * rng.nextNormal();
    for (let c = 0; c < 3; c++) viewB[i * 3 + c] = attr[i * latent + c] + attr[i * latent + c + 1] + 0.3 * rng.nextNormal();
  }
  return {
    numUsers: users,
    numItems: items,
    train: edges(splits[0]),
    valid: edges(splits[1]),
    test: edges(splits[2]),
    features: [
      { modality: 'visual', width: 6, data: viewA },
      { modality: 'acoustic', width: 3, data: viewB },
    ],
  };
}

export function toFloat64(weights: ReadonlyMap<string, Float32Array>): ReferenceParams {
  const get = (name: string): Float64Array | undefined => {
    const w = weights.get(name);
    return w ? Float64Array.from(w) : undefined;
  };
  return { user: get('user') as Float64Array, itemId: get('itemId') as Float64Array, W: get('W'), b: get('b') };
}

/**
 * A frozen backbone of content alone for the invariance stage's tests: x [numItems, width] as one visual block, no
 * ID signal (zero e_u_id and V_i of width `idDim`), the given users' feature vectors, and L_L with weights 1.
 */
export function contentBackbone(
  x: Float32Array,
  width: number,
  train: EdgeList,
  size: { numUsers: number; numItems: number; idDim: number; featureDim: number },
  userFeature: Float32Array,
): FrozenBackbone {
  const { numUsers, numItems, idDim, featureDim } = size;
  return {
    numUsers,
    numItems,
    idDim,
    featureDim,
    userId: new Float32Array(numUsers * idDim),
    userFeature,
    itemId: new Float32Array(numItems * idDim),
    x: { numItems, width, data: x, blocks: [{ modality: 'visual', offset: 0, width }] },
    table: new ConstantTable(x, numItems, width),
    stats: computeGraphStats(numUsers, numItems, train, { iiNeighborNum: 2, iiDiagonalZero: false }),
    loss: { w1: 1, w2: 0, w3: 1, w4: 0, negativeWeight: 1 },
  };
}
