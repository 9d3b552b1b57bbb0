// The new-item route of the final EIOR model, `fusion.newItems: content` [ours] (docs/method.md#new-items): an item
// without train edges has no trained id row V_i and no evidence for the variant branch, so EIOR scores it by the
// invariance stage's content model alone, on the columns the mask found stable: c(u, i) = (W p_u) · (x_i ⊙ m*), with
// the taste user vectors p_u and projection W (user-taste.ts) and m* the learned mask rounded by the `outliers` rule.
// An affine map ŷ = a c + b puts c on the fused model's rating scale, so new and old items rank in one list: a from the
// fused ratings of old items, b from the fused model's level for new items (`calibrate`). The pair's weight on the
// invariant branch is α_I = 1. This file builds the route, scores with it and packs it for a model version.
import { ModelError } from './errors';
import type { ItemFeatures } from './features';
import { binarizeMask } from './invariant-mask';
import type { Random } from './random';
import type { EdgeList } from './types';
import type { UserTaste } from './user-taste';

/** Pairs of each kind (train pairs, random pairs with an old item, random pairs with a new item) in the calibration samples. */
export const CALIBRATION_PAIRS = 1024;

/** a and b of ŷ ≈ a c + b. */
export interface Calibration {
  slope: number;
  intercept: number;
}

/** What a model is built with: the route's parts, and its calibration when it is fixed (a stored version). */
export interface RouteSpec {
  parts: RouteParts;
  calibration: Calibration | null;
}

/** What a model version keeps of the route, each a vector (ArtifactStore keeps Float32Array weights). */
export const ROUTE_WEIGHT_NAMES = {
  users: 'newItemRoute.tasteUsers',
  projection: 'newItemRoute.tasteProjection',
  mask: 'newItemRoute.stableMask',
  items: 'newItemRoute.items',
  calibration: 'newItemRoute.calibration',
} as const;

export interface RouteParts {
  /** p_u for every user, [numUsers, featureDim] row-major. */
  users: Float32Array;
  /** W, [d, featureDim] row-major. */
  projection: Float32Array;
  /** m* per column of x: 0 or 1 with at least one 1 in a model (the outliers-rounded mask); a soft mask weighs the columns. */
  stableMask: Float32Array;
  /** The items without train edges when the model was trained, ascending. */
  items: Int32Array;
  featureDim: number;
}

export class NewItemRoute {
  readonly parts: RouteParts;
  /** 1 for the route's items. */
  private readonly isNew: Uint8Array;
  private readonly x: ItemFeatures;
  private calibration: Calibration | null;
  /** The calibration samples: pairs with old items (for a) and with new items (for b). */
  private samples: { old: Sample; fresh: Sample } | null = null;
  private side: { user: number; values: Float64Array } | null = null;

  constructor(parts: RouteParts, x: ItemFeatures, calibration: Calibration | null = null) {
    const { users, projection, stableMask, items, featureDim } = parts;
    if (!(Number.isInteger(featureDim) && featureDim > 0) || users.length % featureDim !== 0) {
      throw new ModelError('CORRUPT_ARTIFACT', `new-item route: ${users.length} user values for feature width ${featureDim}; expected a multiple of it`);
    }
    if (projection.length !== x.width * featureDim || stableMask.length !== x.width) {
      throw new ModelError('CORRUPT_ARTIFACT', `new-item route: projection ${projection.length} and mask ${stableMask.length} values; expected ${x.width} x ${featureDim} and ${x.width} for x's ${x.width} columns`);
    }
    this.isNew = new Uint8Array(x.numItems);
    for (const i of items) {
      if (!(Number.isInteger(i) && i >= 0 && i < x.numItems)) throw new ModelError('CORRUPT_ARTIFACT', `new-item route: item ${i}; expected an index below ${x.numItems}`);
      this.isNew[i] = 1;
    }
    this.parts = parts;
    this.x = x;
    this.calibration = calibration;
  }

  /** The calibration the route scores with; null before `calibrate` fitted a positive slope (the route then scores nothing). */
  get currentCalibration(): Calibration | null {
    return this.calibration;
  }

  /** Whether (user, item) is scored by the route: a new item, and a calibration to score with. */
  routes(item: number): boolean {
    return this.calibration !== null && this.isNew[item] === 1;
  }

  /** (W p_u) ⊙ m* over the columns of x: the user's side of every content score, kept for the last user asked. */
  userSide(user: number): Float64Array {
    if (this.side?.user === user) return this.side.values;
    const { users, projection, stableMask, featureDim: f } = this.parts;
    const values = new Float64Array(this.x.width);
    for (let c = 0; c < values.length; c++) {
      if (stableMask[c] === 0) continue;
      let s = 0;
      for (let k = 0; k < f; k++) s += projection[c * f + k] * users[user * f + k];
      values[c] = s * stableMask[c];
    }
    this.side = { user, values };
    return values;
  }

  /** c(u, i) = (W p_u) · (x_i ⊙ m*). */
  content(user: number, item: number): number {
    return this.columnsPart(user, item, 0, this.x.width);
  }

  /** The calibrated score a c(u, i) + b split by modality block: a c restricted to each block, and b. */
  explain(user: number, item: number): { score: number; bias: number; modalities: { modality: string; contribution: number }[] } {
    const { slope, intercept } = this.requireCalibration();
    const modalities = this.x.blocks.map(({ modality, offset, width }) => ({ modality, contribution: slope * this.columnsPart(user, item, offset, width) }));
    return { score: intercept + modalities.reduce((a, m) => a + m.contribution, 0), bias: intercept, modalities };
  }

  /** The route's rating of (user, item). */
  rating(user: number, item: number): number {
    const { slope, intercept } = this.requireCalibration();
    return slope * this.content(user, item) + intercept;
  }

  /** Overwrites the route's items in `out` ([users.length, numItems] full-ranking scores) with the route's ratings. */
  overwrite(users: Int32Array, out: Float32Array): void {
    if (!this.calibration) return;
    const N = this.x.numItems;
    users.forEach((u, k) => {
      for (const i of this.parts.items) out[k * N + i] = this.rating(u, i);
    });
  }

  /**
   * Fits a and b against `rate` (the fused model's ratings). a: least squares of the ratings on c over CALIBRATION_PAIRS
   * train pairs and as many random pairs of a sampled user and an old item. b: the mean of ŷ − a c over as many pairs of
   * a sampled user and a new item, so that the route reorders the new items by their stable content while the fused
   * model keeps deciding how high new items as a whole rank against old ones. The samples are drawn on the first call
   * from `train` with `rng`. A slope that is not positive (content that does not order the fused ratings) leaves the
   * route off: null.
   */
  calibrate(train: EdgeList, rng: Random, rate: (users: Int32Array, items: Int32Array) => Float32Array): Calibration | null {
    this.samples ??= this.drawSamples(train, rng);
    const { old, fresh } = this.samples;
    const fit = leastSquares(old.content, rate(old.users, old.items));
    if (!fit) {
      this.calibration = null;
      return null;
    }
    const rated = rate(fresh.users, fresh.items);
    let level = 0;
    for (let k = 0; k < rated.length; k++) level += rated[k] - fit.slope * fresh.content[k];
    // rounded to float32 as a version stores it, so that a restored model scores exactly as the trained one
    this.calibration = { slope: Math.fround(fit.slope), intercept: Math.fround(level / rated.length) };
    return this.calibration;
  }

  /** The parts and the calibration now, for a copy of the model on other features (the same scores where x is the same). */
  get spec(): RouteSpec {
    return { parts: this.parts, calibration: this.calibration };
  }

  /** The route as named weights with their shapes for a model version (ROUTE_WEIGHT_NAMES); the calibration must be fitted. */
  pack(): { name: string; values: Float32Array; shape: number[] }[] {
    const { slope, intercept } = this.requireCalibration();
    const { users, projection, stableMask, items, featureDim: f } = this.parts;
    return [
      { name: ROUTE_WEIGHT_NAMES.users, values: users, shape: [users.length / f, f] },
      { name: ROUTE_WEIGHT_NAMES.projection, values: projection, shape: [projection.length / f, f] },
      { name: ROUTE_WEIGHT_NAMES.mask, values: stableMask, shape: [stableMask.length] },
      { name: ROUTE_WEIGHT_NAMES.items, values: Float32Array.from(items), shape: [items.length] },
      { name: ROUTE_WEIGHT_NAMES.calibration, values: Float32Array.of(slope, intercept), shape: [2] },
    ];
  }

  /** The part of c(u, i) from the columns offset .. offset + count − 1 of x. */
  private columnsPart(user: number, item: number, offset: number, count: number): number {
    const side = this.userSide(user);
    const { data, width } = this.x;
    let s = 0;
    for (let c = offset; c < offset + count; c++) if (side[c] !== 0) s += side[c] * data[item * width + c];
    return s;
  }

  private requireCalibration(): Calibration {
    if (!this.calibration) throw new Error('the new-item route has no calibration: calibrate() it, or build it with one');
    return this.calibration;
  }

  private drawSamples(train: EdgeList, rng: Random): { old: Sample; fresh: Sample } {
    const E = train.users.length;
    const oldItems = [...Array(this.x.numItems).keys()].filter((i) => !this.isNew[i]);
    const n = Math.min(CALIBRATION_PAIRS, E);
    const user = () => train.users[rng.nextInt(E)];
    const old = { users: new Int32Array(2 * n), items: new Int32Array(2 * n) };
    for (let k = 0; k < n; k++) {
      const e = rng.nextInt(E);
      old.users[k] = train.users[e];
      old.items[k] = train.items[e];
      old.users[n + k] = user();
      old.items[n + k] = oldItems[rng.nextInt(oldItems.length)];
    }
    const { items } = this.parts;
    const fresh = { users: Int32Array.from({ length: n }, user), items: Int32Array.from({ length: n }, () => items[rng.nextInt(items.length)]) };
    const withContent = (p: { users: Int32Array; items: Int32Array }): Sample => ({ ...p, content: Float64Array.from(p.users, (u, k) => this.content(u, p.items[k])) });
    return { old: withContent(old), fresh: withContent(fresh) };
  }
}

/** Pairs of a calibration sample with their content scores (constant: p_u, W, m* and x do not train). */
interface Sample {
  users: Int32Array;
  items: Int32Array;
  content: Float64Array;
}

/** a, b minimising Σ (a c_k + b − y_k)²; null when c does not vary or the slope is not positive. */
export function leastSquares(c: ArrayLike<number>, y: ArrayLike<number>): Calibration | null {
  const n = c.length;
  if (n === 0 || y.length !== n) return null;
  let mc = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mc += c[k];
    my += y[k];
  }
  mc /= n;
  my /= n;
  let cov = 0;
  let varC = 0;
  for (let k = 0; k < n; k++) {
    cov += (c[k] - mc) * (y[k] - my);
    varC += (c[k] - mc) ** 2;
  }
  if (!(varC > 0)) return null;
  const slope = cov / varC;
  if (!(slope > 0)) return null;
  return { slope, intercept: my - slope * mc };
}

/** Items without train edges, ascending. */
export function itemsWithoutEdges(numItems: number, train: EdgeList): Int32Array {
  const seen = new Uint8Array(numItems);
  for (const i of train.items) seen[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < numItems; i++) if (!seen[i]) out.push(i);
  return Int32Array.from(out);
}

/**
 * The route a final EIOR model trained on `train` gets from the invariance stage, or why it gets none: it needs the
 * taste fit (`mask.userSide: taste`), at least one column the `outliers` rule finds stable, and items without train edges.
 */
export function planNewItemRoute(
  numItems: number,
  train: EdgeList,
  invariance: { learnedMask: Float32Array; taste: UserTaste | null },
  featureDim: number,
): { route: RouteSpec | null; absence: string | null } {
  const items = itemsWithoutEdges(numItems, train);
  if (items.length === 0) return { route: null, absence: 'every item has train edges' };
  if (!invariance.taste) return { route: null, absence: 'the invariance stage fitted no user taste (mask.userSide is not taste)' };
  const stableMask = binarizeMask(invariance.learnedMask, 'outliers');
  if (!stableMask.some((m) => m === 1)) return { route: null, absence: 'the mask found no stable content column' };
  const parts: RouteParts = { users: invariance.taste.users, projection: invariance.taste.projection, stableMask, items, featureDim };
  return { route: { parts, calibration: null }, absence: null };
}

/** The route a model version stored (its calibration fixed); null for versions without one. */
export function readNewItemRoute(weights: ReadonlyMap<string, Float32Array>, featureDim: number): RouteSpec | null {
  const get = (name: string) => weights.get(name);
  const users = get(ROUTE_WEIGHT_NAMES.users);
  if (!users) return null;
  const [projection, stableMask, items, calibration] = [get(ROUTE_WEIGHT_NAMES.projection), get(ROUTE_WEIGHT_NAMES.mask), get(ROUTE_WEIGHT_NAMES.items), get(ROUTE_WEIGHT_NAMES.calibration)];
  if (!projection || !stableMask || !items || !calibration || calibration.length !== 2) {
    throw new ModelError('CORRUPT_ARTIFACT', `the artifact has "${ROUTE_WEIGHT_NAMES.users}" but not all of ${Object.values(ROUTE_WEIGHT_NAMES).join(', ')}`);
  }
  return { parts: { users, projection, stableMask, items: Int32Array.from(items), featureDim }, calibration: { slope: calibration[0], intercept: calibration[1] } };
}
