// UltraGCN (Mao et al., CIKM 2021), ID-only or with InvRL's multimodal items e_i = [V_i ; W x_i + b]
// (docs/method.md#1-backbone): L = L_L + λ·L_I + γ·½‖θ‖² (γ_W on the projection), Adam; the math is in ultragcn-loss.ts.
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam';
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import { ModelError } from './errors';
import { assignWeights, checkIndexes, findParameter, parameterShapes, snapshotWeights, type ShapedParameter } from './parameters';
import { tidyValue } from './tidy-value';
import { buildItemFeatures, maskItemFeatures, type ItemFeatures } from './features';
import { splitScore, type BranchParts } from './score-parts';
import { computeGraphStats, type GraphStats } from './graph-stats';
import { KernelArena } from './kernel-arena';
import { Random } from './random';
import { ConstantTable, gatherRows, scatterAddRows, type FeatureDotStrategy, type RowTable } from './sparse-ops';
import type { Explanation, RecDataset, StepLoss, TrainableRecModel, TrainBatch, WeightSnapshot } from './types';
import { UserHistory } from './user-history';
import { itemEmbeddings, layoutSlots, slotLossWeights, slotScores, ultraGcnLossTerms, type FeatureScoreInputs } from './ultragcn-loss';

export interface UltraGcnOptions {
  /** Train-graph statistics; computed from `dataset.train` when absent. */
  stats?: GraphStats;
  /** The run's generator; `new Random(config.seed)` when absent. */
  rng?: Random;
  /** How the feature score is read: `js` (gatheredDot, default) or `tf` (tf.gather + tf ops, for comparison). */
  featureDotStrategy?: FeatureDotStrategy;
  /**
   * `auto` (default): tables live in a WebAssembly memory and the hot loops run as SIMD kernels where the engine
   * has WebAssembly SIMD; `js`: plain Float32Arrays and JS loops. Same math; float rounding differs slightly.
   */
  kernels?: 'auto' | 'js';
  /**
   * A mask m over the columns of x, [featureWidth]: items are scored from x ⊙ m. InvRL's invariant-only model
   * uses the learned mask, the variant-only model 1 − m (docs/method.md#3-invariant-part and #4-variant-part).
   */
  featureMask?: Float32Array;
  /**
   * The EIOR branch this model stands for: `invariant` for InvRL's invariant-only model (x ⊙ m), `variant` for the
   * variant-only one (x ⊙ (1 − m)). Its explanations then give its score parts as that branch, at weight 1.
   */
  branch?: 'invariant' | 'variant';
}

/** Data-term losses of a batch and the gradients of L_L + λ·L_I, for gradient checks. */
export interface LossAndGradients {
  lossL: number;
  lossI: number;
  grads: Map<string, Float32Array>;
}

type DatasetPart = Pick<RecDataset, 'numUsers' | 'numItems' | 'train' | 'features'>;

const PAIRS_PER_BLOCK = 1 << 16;

export class UltraGcn implements TrainableRecModel {
  readonly numUsers: number;
  readonly numItems: number;
  readonly config: UltraGcnConfig;
  readonly stats: GraphStats;
  /** Width of e_u: idDim, plus featureDim in the multimodal variant. */
  readonly userDim: number;
  private readonly params: ShapedParameter[];
  private readonly adam: Adam;
  private readonly features: ConstantTable | null;
  private readonly strategy: FeatureDotStrategy;
  /** Whether the SIMD kernels are in use (see UltraGcnOptions.kernels). */
  readonly simd: boolean;
  /** Where each modality's block of x starts (multimodal variant; empty for ID-only). */
  readonly blocks: ItemFeatures['blocks'];
  /** The EIOR branch this model stands for in explanations, or null (a plain UltraGCN: the rating alone). */
  readonly branch: 'invariant' | 'variant' | null;
  /** The user-history term (config.userHistoryWeight > 0), or null. */
  private readonly history: UserHistory | null;
  private disposed = false;

  constructor(dataset: DatasetPart, config: UltraGcnConfig, options: UltraGcnOptions = {}) {
    this.config = validateUltraGcnConfig({ ...config });
    this.numUsers = dataset.numUsers;
    this.numItems = dataset.numItems;
    const { idDim, featureDim, initStd, useFeatures } = this.config;
    const rng = options.rng ?? new Random(this.config.seed);
    this.strategy = options.featureDotStrategy ?? 'js';
    this.branch = options.branch ?? null;
    let x: ItemFeatures | null = null;
    if (useFeatures) {
      if (dataset.features.length === 0) throw new ModelError('BAD_USER_INPUT', 'useFeatures is set but the dataset has no feature matrix');
      x = buildItemFeatures(dataset.numItems, dataset.features, { center: this.config.centerFeatures });
      if (options.featureMask) x = maskItemFeatures(x, options.featureMask);
    }
    // content neighbours from the x this model sees (masked for InvRL's invariant-only model), only when L_I is on
    this.stats = options.stats ?? computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, this.config, this.config.lambda > 0 && x ? x : undefined);
    this.userDim = idDim + (x ? featureDim : 0);
    this.blocks = x ? x.blocks : [];
    // W is stored [d, featureDim] so that the catalogue projection X W is an untransposed product
    const shapes: [string, number[]][] = [
      ['user', [this.numUsers, this.userDim]],
      ['itemId', [this.numItems, idDim]],
      ...(x ? ([['W', [x.width, featureDim]], ['b', [featureDim]]] as [string, number[]][]) : []),
    ];
    const sizes = shapes.map(([, shape]) => shape.reduce((a, b) => a * b, 1));
    const arena = options.kernels === 'js' ? null : this.createArena(sizes, x);
    this.simd = arena !== null;
    const alloc = (length: number): Float32Array => (arena ? arena.alloc(length) : new Float32Array(length));
    this.params = shapes.map(([name, shape], k) => {
      const value = alloc(sizes[k]);
      if (name !== 'b') value.set(rng.normalArray(sizes[k], initStd)); // b starts at 0, as InvRL's
      const gamma = name === 'W' || name === 'b' ? this.config.projectionGamma : this.config.gamma;
      return { name, shape, value, grad: alloc(sizes[k]), gamma };
    });
    if (this.config.popularityInit) this.initPopularity();
    this.history = this.config.userHistoryWeight > 0 ? new UserHistory(this.stats.userItems, this.config.userHistoryWeight, this.config.userHistoryFeatures ? x : null) : null;
    if (x) {
      const data = alloc(x.data.length);
      data.set(x.data);
      this.features = new ConstantTable(data, x.numItems, x.width);
      this.features.asTensor(); // made now, so scoring never grows the number of live tensors
    } else {
      this.features = null;
    }
    this.adam = new Adam(this.params, { lr: this.config.lr, gamma: this.config.gamma }, alloc);
  }

  /** L_L and L_I of a batch and the gradient of L_L + λ·L_I (without the L2 term), parameters unchanged. */
  lossAndGradients(batch: TrainBatch): LossAndGradients {
    const { lossL, lossI } = this.accumulateGradients(batch);
    const grads = new Map<string, Float32Array>();
    for (const p of this.params) {
      grads.set(p.name, p.grad.slice());
      p.grad.fill(0);
    }
    return { lossL, lossI, grads };
  }

  trainStep(batch: TrainBatch): StepLoss {
    const { lossL, lossI } = this.accumulateGradients(batch);
    const l2 = this.adam.step();
    return { total: lossL + this.config.lambda * lossI + l2, lossL, lossI, l2 };
  }

  scorePairs(users: Int32Array, items: Int32Array): Float32Array {
    this.assertUsable();
    if (users.length !== items.length) throw new ModelError('BAD_USER_INPUT', `scorePairs: ${users.length} users but ${items.length} items`);
    checkIndexes(users, this.numUsers, 'user');
    checkIndexes(items, this.numItems, 'item');
    const out = new Float32Array(users.length);
    for (let start = 0; start < users.length; start += PAIRS_PER_BLOCK) {
      const u = users.subarray(start, start + PAIRS_PER_BLOCK);
      const i = items.subarray(start, start + PAIRS_PER_BLOCK);
      const block = tidyValue(() => {
        const userRows = tf.tensor2d(this.userRows(u), [u.length, this.userDim]);
        const feature = this.features ? this.featureInputs(this.tensorOf('W'), this.tensorOf('b')) : undefined;
        return slotScores({ userRows, itemIds: this.itemTable(false), items: i, slots: 1, feature }).dataSync();
      });
      out.set(block, start);
    }
    return out;
  }

  scoreAllItems(users: Int32Array): Float32Array {
    this.assertUsable();
    checkIndexes(users, this.numUsers, 'user');
    return tidyValue(() => {
      const V = this.tensorOf('itemId') as tf.Tensor2D;
      const feature = this.features ? { W: this.tensorOf('W') as tf.Tensor2D, b: this.tensorOf('b') as tf.Tensor1D, X: this.features.asTensor() } : undefined;
      const itemsT = tf.transpose(itemEmbeddings(V, feature)); // [userDim, numItems]
      const userRows = tf.tensor2d(this.userRows(users), [users.length, this.userDim]);
      return tf.matMul(userRows, itemsT).dataSync() as Float32Array; // [users, numItems]
    });
  }

  /** s(u, i) split exactly into e_u_id · V_i, e_u_f · b and each modality block's share of e_u_f · W x_i. */
  scoreParts(user: number, item: number): BranchParts {
    this.assertUsable();
    checkIndexes(Int32Array.of(user), this.numUsers, 'user');
    checkIndexes(Int32Array.of(item), this.numItems, 'item');
    const { idDim } = this.config;
    const eu = this.userRows(Int32Array.of(user));
    const V = this.param('itemId').value.subarray(item * idDim, (item + 1) * idDim);
    if (!this.features) {
      let id = 0;
      for (let k = 0; k < idDim; k++) id += eu[k] * V[k];
      return { score: id, id, bias: 0, modalities: [] };
    }
    return splitScore(eu, V, this.param('W').value, this.param('b').value, this.features, item, this.blocks);
  }

  /** The rating; for InvRL's or the variant-only model also its score parts as its one branch (weight 1). */
  explain(user: number, item: number): Explanation {
    const parts = this.scoreParts(user, item);
    const none = { rating: parts.score, invariantWeight: null, variantWeight: null, invariant: null, variant: null };
    if (this.branch === 'invariant') return { ...none, invariantWeight: 1, variantWeight: 0, invariant: parts };
    if (this.branch === 'variant') return { ...none, invariantWeight: 0, variantWeight: 1, variant: parts };
    return none;
  }

  getWeights(): WeightSnapshot {
    return snapshotWeights(this.params);
  }

  /** Shape of each parameter by name, e.g. user [numUsers, dim]: artifacts record them. */
  weightShapes(): Map<string, number[]> {
    return parameterShapes(this.params);
  }

  setWeights(weights: WeightSnapshot): void {
    assignWeights(this.params, weights);
  }

  /**
   * Starts from an ID-only model of the same users, items and idDim (config.idPretrain): its e_u become the ID half of
   * this model's e_u and its V this V; the feature half of e_u, W and b keep their initialisation.
   */
  startFromIdModel(idWeights: WeightSnapshot): void {
    const { idDim } = this.config;
    const user = idWeights.get('user');
    const V = idWeights.get('itemId');
    if (!user || user.length !== this.numUsers * idDim || !V || V.length !== this.numItems * idDim) {
      throw new ModelError('BAD_USER_INPUT', `ID-only weights: user ${user?.length ?? 'missing'} and itemId ${V?.length ?? 'missing'} values; expected ${this.numUsers * idDim} and ${this.numItems * idDim}`);
    }
    const table = this.param('user').value;
    for (let u = 0; u < this.numUsers; u++) table.set(user.subarray(u * idDim, (u + 1) * idDim), u * this.userDim);
    this.param('itemId').value.set(V);
  }

  /**
   * The weights with the user-history term folded into 'user' (e'_u stored as e_u): a model with the same config but
   * userHistoryWeight 0 scores exactly as this one. Without the term, the weights themselves.
   */
  foldedWeights(): WeightSnapshot {
    const weights = this.getWeights();
    if (!this.history) return weights;
    const all = new Int32Array(this.numUsers);
    for (let u = 0; u < this.numUsers; u++) all[u] = u;
    const folded = new Map(weights);
    folded.set('user', this.userRows(all));
    return folded;
  }

  /** e'_u of `users` as scoring reads them: the stored rows, plus the history term when it is on. */
  private userRows(users: Int32Array): Float32Array {
    const table = this.param('user').value;
    if (!this.history) return gatherRows(table, this.userDim, users);
    const projection = this.features ? { W: this.param('W').value, b: this.param('b').value } : null;
    return this.history.effectiveRows(users, table, this.userDim, this.itemTable(false), projection);
  }

  dispose(): void {
    this.features?.dispose();
    this.disposed = true;
  }

  /** e_u[0] = 1 and V_i[0] = log(1 + d_i) − mean over items: s(u, i) starts as popularity's ranking (plus init noise). */
  private initPopularity(): void {
    const { idDim } = this.config;
    const degree = this.stats.itemDegree;
    let mean = 0;
    for (let i = 0; i < this.numItems; i++) mean += Math.log1p(degree[i]);
    mean /= Math.max(1, this.numItems);
    const V = this.param('itemId').value;
    for (let i = 0; i < this.numItems; i++) V[i * idDim] = Math.log1p(degree[i]) - mean;
    const user = this.param('user').value;
    for (let u = 0; u < this.numUsers; u++) user[u * this.userDim] = 1;
  }

  /** One wasm memory for parameters, gradients, Adam's two moments, x, and the scratch of a training step. */
  private createArena(sizes: number[], x: ItemFeatures | null): KernelArena | null {
    const { batchSize, negativeNum, lambda, idDim } = this.config;
    const slots = 1 + negativeNum + (lambda > 0 ? this.stats.neighborNum : 0);
    const width = Math.max(idDim, x ? x.width : 0);
    const dataFloats = 4 * sizes.reduce((a, b) => a + b, 0) + (x ? x.data.length : 0);
    // gatheredDot's backward: left and dLeft [batch, width], indices and dy [batch, slots]
    return KernelArena.create(dataFloats, 2 * batchSize * width + 2 * batchSize * slots);
  }

  /** Fills the gradient buffers with ∂(L_L + λ·L_I)/∂θ of one batch; returns the two losses. */
  private accumulateGradients(batch: TrainBatch): { lossL: number; lossI: number } {
    this.assertUsable();
    const { users, posItems, negItems } = batch;
    const size = users.length;
    if (size === 0 || posItems.length !== size || negItems.length % size !== 0 || negItems.length === 0) {
      throw new ModelError('BAD_USER_INPUT', `batch: ${size} users, ${posItems.length} positives, ${negItems.length} negatives; expected n ≥ 1, n and a positive multiple of n`);
    }
    checkIndexes(users, this.numUsers, 'user');
    checkIndexes(posItems, this.numItems, 'item');
    checkIndexes(negItems, this.numItems, 'item');
    const { lambda, negativeWeight, softmaxTemperature } = this.config;
    const layout = layoutSlots(batch, this.stats, this.config);
    const { slots } = layout;
    const slotItems = layout.items;
    const result = tidyValue(() => {
      const leaves = this.leafTensors(users);
      const weights = slotLossWeights(layout);
      const kept: tf.Scalar[] = [];
      const f = (...xs: tf.Tensor[]): tf.Scalar => {
        const [leafRows, W, b] = xs;
        // V's gradient is added to its buffer by gatheredDot's backward pass (the sparse update), and by the history's
        const itemIds = this.itemTable(true);
        const userRows = this.history ? this.history.effectiveTensor(leafRows as tf.Tensor2D, users, itemIds, W as tf.Tensor2D | undefined, b as tf.Tensor1D | undefined, this.config.userHistoryLeaveOneOut ? posItems : undefined) : leafRows;
        const scores = slotScores({ userRows: userRows as tf.Tensor2D, itemIds, items: slotItems, slots, feature: this.featureInputs(W, b) }); // [batch, slots]
        const terms = ultraGcnLossTerms(scores, weights, { negativeWeight, softmaxTemperature });
        kept.push(tf.keep(terms.lossL), tf.keep(terms.lossI));
        return tf.add(terms.lossL, tf.mul(terms.lossI, lambda));
      };
      const grads = tf.grads(f)(leaves);
      const gradData = grads.map((g) => g.dataSync() as Float32Array);
      const losses = kept.map((t) => t.dataSync()[0]);
      tf.dispose(kept);
      return { gradData, lossL: losses[0], lossI: losses[1] };
    });
    const [gUser, gW, gB] = result.gradData;
    scatterAddRows(this.param('user').grad, this.userDim, users, gUser);
    if (gW && gB) {
      addInto(this.param('W').grad, gW);
      addInto(this.param('b').grad, gB);
    }
    return { lossL: result.lossL, lossI: result.lossI };
  }

  /** Leaf tensors of a step: the gathered user rows [n, userDim], then W and b when used. */
  private leafTensors(users: Int32Array): [tf.Tensor2D, ...tf.Tensor[]] {
    const userRows = tf.tensor2d(gatherRows(this.param('user').value, this.userDim, users), [users.length, this.userDim]);
    return this.features ? [userRows, this.tensorOf('W'), this.tensorOf('b')] : [userRows];
  }

  /** V as gatheredDot reads it; with `withGrad` its gradient lands in V's gradient buffer. */
  private itemTable(withGrad: boolean): RowTable {
    const p = this.param('itemId');
    return { data: p.value, rows: this.numItems, width: this.config.idDim, grad: withGrad ? p.grad : undefined };
  }

  private featureInputs(W: tf.Tensor | undefined, b: tf.Tensor | undefined): FeatureScoreInputs | undefined {
    if (!this.features || !W || !b) return undefined;
    return { W: W as tf.Tensor2D, b: b as tf.Tensor1D, table: this.features, strategy: this.strategy };
  }

  /** A new tensor holding a copy of a parameter. */
  private tensorOf(name: string): tf.Tensor {
    const p = this.param(name);
    return tf.tensor(p.value, p.shape);
  }

  private param(name: string): ShapedParameter {
    return findParameter(this.params, name);
  }

  private assertUsable(): void {
    if (this.disposed) throw new ModelError('MODEL_DISPOSED', 'this UltraGCN model was disposed');
  }
}

function addInto(target: Float32Array, source: Float32Array): void {
  for (let e = 0; e < target.length; e++) target[e] += source[e];
}
