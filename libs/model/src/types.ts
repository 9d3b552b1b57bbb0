// The data every model trains on and the small contract every model implements (RecBole's calculate_loss,
// predict and full_sort_predict, plus an explanation of any pair). Plain typed arrays only: libs/graph exports the
// same shapes structurally.
import type { BranchParts } from './score-parts';

/** Interactions as two parallel arrays of dense indexes: edge e is (users[e], items[e]). */
export interface EdgeList {
  users: Int32Array;
  items: Int32Array;
}

/** One modality's item features, row-major [numItems, width]; an all-zero row means "missing for this item". */
export interface FeatureMatrix {
  modality: string;
  width: number;
  data: Float32Array;
}

/** A split dataset with dense user indexes 0..numUsers-1 and item indexes 0..numItems-1. */
export interface RecDataset {
  numUsers: number;
  numItems: number;
  train: EdgeList;
  valid: EdgeList;
  test: EdgeList;
  features: FeatureMatrix[];
}

/** One training batch: positive pairs and, per pair, `negatives` sampled items (row-major [batch, negatives]). */
export interface TrainBatch {
  users: Int32Array; // [batch]
  posItems: Int32Array; // [batch]
  negItems: Int32Array; // [batch * negatives]
  /** Index of each positive pair in the train EdgeList, [batch] (environments are per train edge). */
  edges?: Int32Array;
}

/** Loss of one step, summed over the batch as in the official UltraGCN code, with its parts. */
export interface StepLoss {
  /** L = L_L + λ L_I + Σ γ ½‖θ‖² */
  total: number;
  /** L_L, the constraint + negative-sampling loss */
  lossL: number;
  /** L_I, the item-item constraint loss (before λ) */
  lossI: number;
  /** The L2 penalty Σ γ ½‖θ‖², each parameter group with its own γ, before the step's update */
  l2: number;
}

/**
 * A pair's explanation from any model (docs/method.md#7-explanations): the rating, and for a model with EIOR's
 * branches their weights and exact score parts; the branch fields are null where the model has no such branch.
 */
export interface Explanation {
  rating: number;
  invariantWeight: number | null;
  variantWeight: number | null;
  invariant: BranchParts | null;
  variant: BranchParts | null;
  /** True when EIOR's new-item route scored the pair (an item without train edges, α_I = 1); absent or false otherwise. */
  newItem?: boolean;
}

/** What every recommender can do: score given pairs, score the whole catalogue for some users, explain a pair. */
export interface RecModel {
  readonly numUsers: number;
  readonly numItems: number;
  /** s(u, i) for each pair; higher means more relevant. */
  scorePairs(users: Int32Array, items: Int32Array): Float32Array;
  /** Scores of every item for each user, row-major [users.length, numItems]. */
  scoreAllItems(users: Int32Array): Float32Array;
  /** Why the model rates item `item` as it does for user `user`: the rating and whatever parts the model has. */
  explain(user: number, item: number): Explanation;
  /** Frees long-lived state (tensors); the model is unusable afterwards. */
  dispose(): void;
}

/** A copy of a model's parameters, enough to restore its scores (optimizer state is not included). */
export type WeightSnapshot = ReadonlyMap<string, Float32Array>;

/** A model the trainer can fit: one optimisation step per batch, and weights it can save and restore. */
export interface TrainableRecModel extends RecModel {
  trainStep(batch: TrainBatch): StepLoss;
  /** Called by the trainer before each epoch (1-based), for schedules such as EIOR's IRM warm-up. */
  startEpoch?(epoch: number): void;
  getWeights(): WeightSnapshot;
  /** The logical shape of each entry of getWeights(), e.g. user [numUsers, dim]: artifacts record them. */
  weightShapes(): Map<string, number[]>;
  setWeights(weights: WeightSnapshot): void;
}
