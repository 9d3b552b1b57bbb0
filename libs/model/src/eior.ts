// EIOR (docs/method.md#4-variant-part to #7-explanations): an invariant branch e_i^I = [V_i ; W_I (x_i ⊙ m) + b_I] and a variant branch
// e_i^E = [V_i ; W_E (x_i ⊙ (1 − m)) + b_E] over one UltraGCN backbone, fused per pair by self-attention into the
// rating ŷ = α_I s_I + α_E s_E, trained on ℓ_UG(ŷ) + η_I ℓ_UG(s_I) + η_E ℓ_UG(s_E) + ρ Σ_e IRMv1_e(s_I) + L2.
// The fusion math lives in attention.ts and the step's scores in eior-scores.ts; this file owns the parameters,
// the training step, full ranking and explanations.
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam';
import { KernelArena } from './kernel-arena';
import { attentionKeys, attentionQueries, pairAttention } from './attention';
import { validateUltraGcnConfig, type UltraGcnConfig } from './config';
import type { FusionConfig } from './eior-config';
import { fusedSlotScores, invariantIrmTerm, type Branch, type SlotContext } from './eior-scores';
import { ModelError } from './errors';
import { assignWeights, checkIndexes, findParameter, parameterShapes, snapshotWeights, type ShapedParameter } from './parameters';
import { tidyValue } from './tidy-value';
import { NewItemRoute, type RouteSpec } from './new-item-route';
import { projectUser, splitScore, type BranchParts } from './score-parts';
import { buildItemFeatures, maskItemFeatures, type ItemFeatures } from './features';
import { computeGraphStats, type GraphStats } from './graph-stats';
import { Random } from './random';
import { ConstantTable, gatherRows, scatterAddRows, type RowTable } from './sparse-ops';
import type { RecDataset, StepLoss, TrainableRecModel, TrainBatch, WeightSnapshot } from './types';
import { itemEmbeddings, layoutSlots, slotLossWeights, ultraGcnLossTerms } from './ultragcn-loss';

export interface PairExplanation {
  rating: number;
  invariantWeight: number;
  variantWeight: number;
  invariant: BranchParts;
  variant: BranchParts;
  /** True when the item had no train edges and the new-item route scored it (α_I = 1, new-item-route.ts). */
  newItem: boolean;
}

export interface EiorModelOptions {
  stats?: GraphStats;
  rng: Random;
  /** Environment of each train edge, for ρ Σ_e IRMv1_e(s_I); without it the IRM term is off. */
  environments?: { assignment: Int32Array; count: number };
  /**
   * The new-item route (new-item-route.ts) for the items without train edges. Without a calibration the model fits
   * one from its own ratings each time its weights change (training); with one it keeps it (a restored version).
   */
  newItems?: RouteSpec;
}

type DatasetPart = Pick<RecDataset, 'numUsers' | 'numItems' | 'train' | 'features'>;

interface Catalogue {
  /** e_i^b for every item, [numItems, userDim] */
  rows: Record<Branch, Float32Array>;
  /** [E^I | E^E] transposed, [userDim, 2 numItems], kept for the full-ranking product */
  stacked: tf.Tensor2D;
  /** (E^I − E^E) transposed, [userDim, numItems]: the attention's key differences come from one product with it */
  difference: tf.Tensor2D;
}

export class EiorModel implements TrainableRecModel {
  readonly numUsers: number;
  readonly numItems: number;
  readonly backbone: UltraGcnConfig;
  readonly fusion: FusionConfig;
  readonly stats: GraphStats;
  readonly userDim: number;
  readonly mask: Float32Array;
  readonly blocks: ItemFeatures['blocks'];
  /** x ⊙ m and x ⊙ (1 − m), for the catalogue product and explanations. */
  private readonly tables: Record<Branch, ConstantTable>;
  /** x itself, in the kernel arena: every training-time feature dot reads it, with the mask folded into the left side. */
  private readonly xTable: ConstantTable;
  /** m and 1 − m as [d] vectors for the training step. */
  private readonly masks: Record<Branch, Float32Array>;
  private readonly params: ShapedParameter[];
  private readonly adam: Adam;
  private readonly environments?: { assignment: Int32Array; count: number };
  readonly newItemRoute: NewItemRoute | null;
  /** Train edges and the generator of the calibration sample, while the route is calibrated from the model's ratings. */
  private readonly calibrateFrom: { train: DatasetPart['train']; rng: Random } | null;
  private rhoNow = 0;
  private catalogue: Catalogue | null = null;
  private disposed = false;
  private userQueries: { user: number; queries: [Float64Array, Float64Array] } | null = null;
  /** Each explained item's attention keys (they depend on the item only), until the weights change. */
  private itemKeys = new Map<number, [Float64Array, Float64Array]>();
  private projectedUser: Partial<Record<Branch, { user: number; W: Float32Array; projected: Float64Array }>> = {};

  constructor(dataset: DatasetPart, backbone: UltraGcnConfig, fusion: FusionConfig, mask: Float32Array, options: EiorModelOptions) {
    this.backbone = validateUltraGcnConfig({ ...backbone, useFeatures: true });
    this.fusion = { ...fusion };
    this.numUsers = dataset.numUsers;
    this.numItems = dataset.numItems;
    this.environments = options.environments;
    if (options.environments && options.environments.assignment.length !== dataset.train.users.length) {
      throw new ModelError('BAD_USER_INPUT', `environments: ${options.environments.assignment.length} assignments; expected one per train edge, ${dataset.train.users.length}`);
    }
    if (dataset.features.length === 0) throw new ModelError('BAD_USER_INPUT', 'EIOR needs item features; the dataset has none');
    const x = buildItemFeatures(dataset.numItems, dataset.features, { center: this.backbone.centerFeatures });
    this.stats = options.stats ?? computeGraphStats(dataset.numUsers, dataset.numItems, dataset.train, this.backbone, this.backbone.lambda > 0 ? x : undefined);
    this.blocks = x.blocks;
    this.mask = Float32Array.from(mask);
    const inverse = Float32Array.from(this.mask, (m) => 1 - m);
    const xi = maskItemFeatures(x, this.mask);
    const xe = maskItemFeatures(x, inverse);
    const { idDim, featureDim, initStd, gamma, projectionGamma } = this.backbone;
    this.userDim = idDim + featureDim;
    const da = this.fusion.attentionDim;
    const shapes: [string, number[], number][] = [
      ['user', [this.numUsers, this.userDim], gamma],
      ['itemId', [this.numItems, idDim], gamma],
      ['W_I', [x.width, featureDim], projectionGamma],
      ['b_I', [featureDim], projectionGamma],
    ];
    if (!this.fusion.sharedProjection) shapes.push(['W_E', [x.width, featureDim], projectionGamma], ['b_E', [featureDim], projectionGamma]);
    if (this.fusion.kind === 'attention') {
      const g = this.fusion.attentionGamma;
      shapes.push(['Wq', [this.userDim, da], g], ['Wk', [this.userDim, da], g], ['tq', [2, da], g], ['tk', [2, da], g]);
    } else if (this.fusion.kind === 'global') {
      shapes.push(['theta', [2], this.fusion.attentionGamma]);
    }
    const sizes = shapes.map(([, shape]) => shape.reduce((a, b) => a * b, 1));
    // parameters, gradients, Adam's moments and x in one wasm memory, so gatheredDot runs the SIMD kernels (as
    // UltraGcn does); scratch for two stacked left-hand sides per feature dot
    const rowsPerCall = 2 * this.backbone.batchSize;
    const slots = 1 + this.backbone.negativeNum + (this.backbone.lambda > 0 ? this.stats.neighborNum : 0);
    const arena = KernelArena.create(4 * sizes.reduce((a, b) => a + b, 0) + x.data.length, 2 * rowsPerCall * Math.max(idDim, x.width) + 2 * rowsPerCall * slots);
    const alloc = (length: number): Float32Array => (arena ? arena.alloc(length) : new Float32Array(length));
    const xCopy = alloc(x.data.length);
    xCopy.set(x.data);
    this.xTable = new ConstantTable(xCopy, x.numItems, x.width);
    this.tables = { invariant: new ConstantTable(xi.data, x.numItems, x.width), variant: new ConstantTable(xe.data, x.numItems, x.width) };
    this.masks = { invariant: this.mask, variant: inverse };
    this.params = shapes.map(([name, shape, g], k) => {
      const value = alloc(sizes[k]);
      if (!name.startsWith('b_') && name !== 'theta') value.set(options.rng.normalArray(sizes[k], name === 'Wq' || name === 'Wk' ? 1 / Math.sqrt(this.userDim) : initStd));
      return { name, shape, value, grad: alloc(sizes[k]), gamma: g };
    });
    this.adam = new Adam(this.params, { lr: this.backbone.lr, gamma }, alloc);
    const route = options.newItems;
    if (route && (route.parts.users.length !== this.numUsers * featureDim || route.parts.featureDim !== featureDim)) {
      throw new ModelError('BAD_USER_INPUT', `new-item route: ${route.parts.users.length} taste values of width ${route.parts.featureDim}; expected ${this.numUsers} users x ${featureDim}`);
    }
    this.newItemRoute = route ? new NewItemRoute(route.parts, x, route.calibration) : null;
    this.calibrateFrom = route && !route.calibration ? { train: dataset.train, rng: new Random(this.backbone.seed + 3) } : null;
  }

  startEpoch(epoch: number): void {
    this.rhoNow = epoch > this.fusion.rhoWarmupEpochs ? this.fusion.rho : 0;
  }

  /** Adds ∂objective/∂θ of one batch to every parameter's gradient buffer; returns ℓ_UG(ŷ)'s parts and the objective. */
  private accumulateGradients(batch: TrainBatch): { lossL: number; lossI: number; objective: number } {
    this.assertUsable();
    const rows = batch.users.length;
    if (rows === 0 || batch.posItems.length !== rows || batch.negItems.length % rows !== 0 || batch.negItems.length === 0) {
      throw new ModelError('BAD_USER_INPUT', `batch: ${rows} users, ${batch.posItems.length} positives, ${batch.negItems.length} negatives; expected n ≥ 1, n and a positive multiple of n`);
    }
    this.invalidateCatalogue();
    const { lambda, negativeWeight, softmaxTemperature } = this.backbone;
    const layout = layoutSlots(batch, this.stats, this.backbone);
    const rowEnv = this.rowEnvironments(batch);
    const names = this.params.filter((p) => p.name !== 'itemId').map((p) => p.name);
    let losses = [0, 0, 0];
    const grads = tidyValue(() => {
      const leaves = names.map((name) => (name === 'user' ? tf.tensor2d(gatherRows(this.param('user').value, this.userDim, batch.users), [rows, this.userDim]) : this.tensorOf(name)));
      const weights = slotLossWeights(layout);
      const kept: tf.Scalar[] = [];
      const g = tf.grads((...xs: tf.Tensor[]) => {
        const t = new Map(names.map((name, k) => [name, xs[k]]));
        const { rating, invariant, variant } = fusedSlotScores(t, this.slotContext(), layout.items, layout.slots);
        const ug = (scores: tf.Tensor2D): { l: tf.Scalar; lossL: tf.Scalar; lossI: tf.Scalar } => {
          const terms = ultraGcnLossTerms(scores, weights, { negativeWeight, softmaxTemperature });
          return { l: tf.add(terms.lossL, tf.mul(terms.lossI, lambda)) as tf.Scalar, ...terms };
        };
        const main = ug(rating);
        kept.push(tf.keep(main.lossL), tf.keep(main.lossI));
        let total = tf.add(main.l, tf.add(tf.mul(ug(invariant).l, this.fusion.etaInvariant), tf.mul(ug(variant).l, this.fusion.etaVariant)));
        if (this.rhoNow > 0 && rowEnv && this.environments) {
          total = tf.add(total, tf.mul(invariantIrmTerm(invariant, weights, layout.negatives, rowEnv, this.environments.count, negativeWeight), this.rhoNow));
        }
        kept.push(tf.keep(total as tf.Scalar));
        return total as tf.Scalar;
      })(leaves);
      losses = kept.map((s) => s.dataSync()[0]);
      tf.dispose(kept);
      return g.map((x) => x.dataSync() as Float32Array);
    });
    names.forEach((name, k) => {
      const p = this.param(name);
      if (name === 'user') scatterAddRows(p.grad, this.userDim, batch.users, grads[k]);
      else for (let e = 0; e < p.grad.length; e++) p.grad[e] += grads[k][e];
    });
    const [lossL, lossI, objective] = losses;
    return { lossL, lossI, objective };
  }

  trainStep(batch: TrainBatch): StepLoss {
    const { lossL, lossI } = this.accumulateGradients(batch);
    const l2 = this.adam.step();
    return { total: lossL + this.backbone.lambda * lossI + l2, lossL, lossI, l2 };
  }

  /**
   * The step's objective ℓ_UG(ŷ) + η_I ℓ_UG(s_I) + η_E ℓ_UG(s_E) + ρ Σ_e IRMv1_e(s_I) (without L2) and its gradient
   * per parameter, parameters unchanged: for gradient checks.
   */
  objectiveAndGradients(batch: TrainBatch): { objective: number; grads: Map<string, Float32Array> } {
    const { objective } = this.accumulateGradients(batch);
    const grads = new Map<string, Float32Array>();
    for (const p of this.params) {
      grads.set(p.name, p.grad.slice());
      p.grad.fill(0);
    }
    return { objective, grads };
  }

  scorePairs(users: Int32Array, items: Int32Array): Float32Array {
    this.assertUsable();
    if (users.length !== items.length) throw new ModelError('BAD_USER_INPUT', `scorePairs: ${users.length} users but ${items.length} items`);
    checkIndexes(users, this.numUsers, 'user');
    checkIndexes(items, this.numItems, 'item');
    const out = new Float32Array(users.length);
    for (let k = 0; k < users.length; k++) out[k] = this.pairParts(users[k], items[k]).rating;
    return out;
  }

  /**
   * Full ranking in two products: e_u against the stacked catalogue [E^I | E^E] gives s_I and s_E for every item,
   * and the user-side rows W_K(q + τq_a) against E^I − E^E give both key differences d_a; the 2 x 2 softmax is then
   * a sigmoid per item (attention.ts, `combine`), done in plain JS on the products.
   */
  scoreAllItems(users: Int32Array): Float32Array {
    this.assertUsable();
    checkIndexes(users, this.numUsers, 'user');
    const catalogue = this.ensureCatalogue();
    const { userDim: D, numItems: N } = this;
    const attention = this.fusion.kind === 'attention';
    const Q = new Float32Array(users.length * D); // e_u rows
    const S = attention ? new Float32Array(users.length * 2 * D) : null; // W_K (q + τq_a) rows, a = 1, 2
    const c = new Float64Array(users.length * 2);
    const userTable = this.param('user').value;
    users.forEach((u, k) => {
      const eu = userTable.subarray(u * D, (u + 1) * D);
      Q.set(eu, k * D);
      if (S) {
        const side = this.userSideValues(eu);
        S.set(side.sides[0], 2 * k * D);
        S.set(side.sides[1], (2 * k + 1) * D);
        c[2 * k] = side.c[0];
        c[2 * k + 1] = side.c[1];
      }
    });
    const [R, Dk] = tidyValue(() => [
      tf.matMul(tf.tensor2d(Q, [users.length, D]), catalogue.stacked).dataSync() as Float32Array, // [users, 2N]: s_I | s_E
      S ? (tf.matMul(tf.tensor2d(S, [2 * users.length, D]), catalogue.difference).dataSync() as Float32Array) : null, // [2 users, N]: d_1, d_2
    ]);
    const constant = this.fusion.kind === 'fixed' ? 0.5 : this.fusion.kind === 'global' ? globalInvariantWeight(this.param('theta').value) : 0;
    const scale = 1 / Math.sqrt(this.fusion.attentionDim);
    const out = new Float32Array(users.length * N);
    for (let k = 0; k < users.length; k++) {
      const base = k * 2 * N;
      for (let i = 0; i < N; i++) {
        const sI = R[base + i];
        const sE = R[base + N + i];
        let alphaI = constant;
        if (Dk) {
          const d1 = Dk[2 * k * N + i];
          const d2 = Dk[(2 * k + 1) * N + i];
          alphaI = 0.5 * (sigmoid((d1 + c[2 * k]) * scale) + sigmoid((d2 + c[2 * k + 1]) * scale));
        }
        out[k * N + i] = alphaI * sI + (1 - alphaI) * sE;
      }
    }
    this.newItemRoute?.overwrite(users, out);
    return out;
  }

  /** For query token a: W_K (q + τq_a) [userDim] and (q + τq_a) · (τk_I − τk_E), with q = e_u W_Q (attention.ts). */
  private userSideValues(eu: Float32Array): { sides: [Float32Array, Float32Array]; c: [number, number] } {
    const { userDim: D } = this;
    const d = this.fusion.attentionDim;
    const Wq = this.param('Wq').value;
    const Wk = this.param('Wk').value;
    const tq = this.param('tq').value;
    const tk = this.param('tk').value;
    const q = new Float64Array(d);
    for (let k = 0; k < D; k++) {
      const e = eu[k];
      if (e !== 0) for (let r = 0; r < d; r++) q[r] += e * Wq[k * d + r];
    }
    const side = (a: 0 | 1): { side: Float32Array; c: number } => {
      const qa = Float64Array.from(q, (v, r) => v + tq[a * d + r]);
      const out = new Float32Array(D);
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += Wk[j * d + r] * qa[r];
        out[j] = s;
      }
      let cc = 0;
      for (let r = 0; r < d; r++) cc += qa[r] * (tk[r] - tk[d + r]);
      return { side: out, c: cc };
    };
    const [s1, s2] = [side(0), side(1)];
    return { sides: [s1.side, s2.side], c: [s1.c, s2.c] };
  }

  /** Everything behind one pair's rating (docs/method.md#7-explanations); the parts add up to each branch score. */
  explain(user: number, item: number): PairExplanation {
    this.assertUsable();
    checkIndexes(Int32Array.of(user), this.numUsers, 'user');
    checkIndexes(Int32Array.of(item), this.numItems, 'item');
    const pair = this.pairParts(user, item);
    if (pair.newItem) {
      // the route's score is the invariant branch's: id 0 (the item has no trained id row), the intercept as bias
      const route = this.newItemRoute!.explain(user, item);
      return {
        rating: pair.rating,
        invariantWeight: 1,
        variantWeight: 0,
        invariant: { score: route.score, id: 0, bias: route.bias, modalities: route.modalities },
        variant: this.branchParts(user, item, 'variant'),
        newItem: true,
      };
    }
    return {
      rating: pair.rating,
      invariantWeight: pair.alphaI,
      variantWeight: pair.alphaE,
      invariant: this.branchParts(user, item, 'invariant'),
      variant: this.branchParts(user, item, 'variant'),
      newItem: false,
    };
  }

  getWeights(): WeightSnapshot {
    return snapshotWeights(this.params);
  }

  weightShapes(): Map<string, number[]> {
    return parameterShapes(this.params);
  }

  /** Sets every parameter this model has from `weights` (extra entries, such as the mask, are ignored). */
  setWeights(weights: WeightSnapshot): void {
    assignWeights(this.params, weights);
    this.invalidateCatalogue();
  }

  /** Starts e_u, V and both projections from a trained multimodal UltraGCN (user, itemId, W, b). */
  warmStart(backbone: WeightSnapshot): void {
    const copy = (to: string, from: string): void => {
      const w = backbone.get(from);
      const p = this.param(to);
      if (!w || w.length !== p.value.length) throw new ModelError('BAD_USER_INPUT', `warm start: backbone "${from}" has ${w?.length ?? 0} values; expected ${p.value.length}`);
      p.value.set(w);
    };
    copy('user', 'user');
    copy('itemId', 'itemId');
    for (const suffix of this.fusion.sharedProjection ? ['I'] : ['I', 'E']) {
      copy(`W_${suffix}`, 'W');
      copy(`b_${suffix}`, 'b');
    }
    this.invalidateCatalogue();
  }

  dispose(): void {
    this.invalidateCatalogue();
    this.tables.invariant.dispose();
    this.tables.variant.dispose();
    this.xTable.dispose();
    this.disposed = true;
  }

  private slotContext(): SlotContext {
    return {
      itemIds: this.itemTable(true),
      x: this.xTable,
      masks: this.masks,
      idDim: this.backbone.idDim,
      featureDim: this.backbone.featureDim,
      fusion: this.fusion,
    };
  }

  /** The environment of each row of a batch (by its train edge), or null when there are none to use. */
  private rowEnvironments(batch: TrainBatch): Int32Array | null {
    if (!this.environments || !batch.edges) return null;
    const { assignment } = this.environments;
    return Int32Array.from(batch.edges, (e) => assignment[e]);
  }


  /** ŷ, s_I, s_E and α_I of one pair: the route's for a routed new item, else the fused model's. */
  private pairParts(user: number, item: number): { rating: number; sI: number; sE: number; alphaI: number; alphaE: number; newItem: boolean } {
    const catalogue = this.ensureCatalogue();
    const fused = this.fusedParts(user, item, catalogue);
    if (!this.newItemRoute?.routes(item)) return { ...fused, newItem: false };
    const rating = this.newItemRoute.rating(user, item);
    return { rating, sI: rating, sE: fused.sE, alphaI: 1, alphaE: 0, newItem: true };
  }

  /** ŷ, s_I, s_E and α_I of one pair from the catalogue, in plain JS. */
  private fusedParts(user: number, item: number, catalogue: Catalogue): { rating: number; sI: number; sE: number; alphaI: number; alphaE: number } {
    const eu = this.param('user').value.subarray(user * this.userDim, (user + 1) * this.userDim);
    const eI = catalogue.rows.invariant.subarray(item * this.userDim, (item + 1) * this.userDim);
    const eE = catalogue.rows.variant.subarray(item * this.userDim, (item + 1) * this.userDim);
    const sI = dot(eu, eI);
    const sE = dot(eu, eE);
    let alphaI = 0.5;
    let alphaE = 0.5;
    if (this.fusion.kind === 'global') {
      const theta = this.param('theta').value;
      const top = Math.max(theta[0], theta[1]);
      const [a, b] = [Math.exp(theta[0] - top), Math.exp(theta[1] - top)];
      [alphaI, alphaE] = [a / (a + b), b / (a + b)];
    } else if (this.fusion.kind === 'attention') {
      const values = {
        Wq: this.param('Wq').value,
        Wk: this.param('Wk').value,
        tq: this.param('tq').value,
        tk: this.param('tk').value,
        userDim: this.userDim,
        attentionDim: this.fusion.attentionDim,
      };
      // explanations come in runs of items for one user: keep that user's query tokens
      if (this.userQueries?.user !== user) this.userQueries = { user, queries: attentionQueries(eu, values) };
      let keys = this.itemKeys.get(item);
      if (!keys) this.itemKeys.set(item, (keys = attentionKeys(eI, eE, values)));
      [alphaI, alphaE] = pairAttention(eu, eI, eE, values, this.userQueries.queries, keys);
    }
    return { rating: alphaI * sI + alphaE * sE, sI, sE, alphaI, alphaE };
  }

  private branchParts(user: number, item: number, branch: Branch): BranchParts {
    const { idDim } = this.backbone;
    const eu = this.param('user').value.subarray(user * this.userDim, (user + 1) * this.userDim);
    const V = this.param('itemId').value.subarray(item * idDim, (item + 1) * idDim);
    const suffix = branch === 'invariant' || this.fusion.sharedProjection ? 'I' : 'E';
    const W = this.param(`W_${suffix}`).value;
    const b = this.param(`b_${suffix}`).value;
    // explanations come in runs of items for one user: keep that user's W e_u_f per branch
    let memo = this.projectedUser[branch];
    if (!memo || memo.user !== user || memo.W !== W) {
      memo = { user, W, projected: projectUser(eu, W, idDim, b.length) };
      this.projectedUser[branch] = memo;
    }
    return splitScore(eu, V, W, b, this.tables[branch], item, this.blocks, memo.projected);
  }

  private ensureCatalogue(): Catalogue {
    if (this.catalogue) return this.catalogue;
    const V = this.tensorOf('itemId') as tf.Tensor2D;
    const make = (branch: Branch) => {
      const suffix = branch === 'invariant' || this.fusion.sharedProjection ? 'I' : 'E';
      const E = tf.tidy(() => itemEmbeddings(V, { W: this.tensorOf(`W_${suffix}`) as tf.Tensor2D, b: this.tensorOf(`b_${suffix}`) as tf.Tensor1D, X: this.tables[branch].asTensor() }));
      const rows = (E.dataSync() as Float32Array).slice();
      E.dispose();
      return rows;
    };
    const invariant = make('invariant');
    const variant = make('variant');
    V.dispose();
    const { userDim: D, numItems: N } = this;
    const stacked = new Float32Array(D * 2 * N);
    const difference = new Float32Array(D * N);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < D; k++) {
        stacked[k * 2 * N + i] = invariant[i * D + k];
        stacked[k * 2 * N + N + i] = variant[i * D + k];
        difference[k * N + i] = invariant[i * D + k] - variant[i * D + k];
      }
    }
    const catalogue: Catalogue = {
      rows: { invariant, variant },
      stacked: tf.keep(tf.tensor2d(stacked, [D, 2 * N])),
      difference: tf.keep(tf.tensor2d(difference, [D, N])),
    };
    this.catalogue = catalogue;
    if (this.newItemRoute && this.calibrateFrom) {
      const { train, rng } = this.calibrateFrom;
      this.newItemRoute.calibrate(train, rng, (users, items) => Float32Array.from(users, (u, k) => this.fusedParts(u, items[k], catalogue).rating));
    }
    return catalogue;
  }

  private invalidateCatalogue(): void {
    this.projectedUser = {};
    this.userQueries = null;
    this.itemKeys.clear();
    if (!this.catalogue) return;
    this.catalogue.stacked.dispose();
    this.catalogue.difference.dispose();
    this.tables.invariant.dispose();
    this.tables.variant.dispose();
    this.catalogue = null;
  }

  private itemTable(withGrad: boolean): RowTable {
    const p = this.param('itemId');
    return { data: p.value, rows: this.numItems, width: this.backbone.idDim, grad: withGrad ? p.grad : undefined };
  }

  private tensorOf(name: string): tf.Tensor {
    const p = this.param(name);
    return tf.tensor(p.value, p.shape);
  }

  private param(name: string): ShapedParameter {
    return findParameter(this.params, name);
  }

  private assertUsable(): void {
    if (this.disposed) throw new ModelError('MODEL_DISPOSED', 'this EIOR model was disposed');
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** α_I of the global fusion: softmax of (θ_I, θ_E). */
function globalInvariantWeight(theta: Float32Array): number {
  return 1 / (1 + Math.exp(-(theta[0] - theta[1])));
}
