// What a model version folder holds besides its weights: enough to rebuild, verify and compare the model.
import type { ExplanationHealth } from '../explanation-health';
import type { LiftInterval } from '../paired-bootstrap';

export const ARTIFACT_FORMAT = 'eior-model/1';

/** One weights file of a version: raw little-endian float32, checked by length and sha256 on load. */
export interface WeightEntry {
  name: string;
  file: string;
  /** Number of float32 values. */
  length: number;
  /** Logical shape, e.g. [numUsers, dim]; its product is `length`. */
  shape: number[];
  sha256: string;
}

export interface DatasetFingerprint {
  name: string;
  /** sha256 of the ingested files: a model is only valid for the data it was trained on. */
  fingerprint: string;
  numUsers: number;
  numItems: number;
  features: { modality: string; width: number }[];
  /** Feedback recorded through the API that joined the training split: up to `until` (Unix ms), how many. */
  feedback?: { until: number; interactions: number };
}

/** Metrics keyed `recall@20`, `ndcg@10`, ... for one split. */
export type MetricTable = Record<string, number>;

export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  version: string;
  createdAt: string;
  /** Which model the weights belong to, e.g. `ultragcn-features`. */
  model: string;
  /** The model's full config (typed by the model; plain JSON here). */
  config: Record<string, unknown>;
  dataset: DatasetFingerprint;
  /** TensorFlow.js backend that trained it. */
  backend: string;
  /**
   * `popularity`: the popularity list scored on the same splits in the same run (absent in versions written
   * before runs did that); the floor a version must clear on validation to become current. `liftIntervals`: the
   * paired bootstrap intervals of the version's NDCG@20 lift over it, per split (absent before runs kept them).
   */
  metrics: {
    bestEpoch: number;
    valid: MetricTable;
    test: MetricTable;
    protocol: string;
    popularity?: { valid: MetricTable; test: MetricTable; liftIntervals?: { valid: LiftInterval | null; test: LiftInterval | null } };
  };
  /** One record per epoch: loss, seconds, validation metrics where evaluated. */
  curve: Record<string, unknown>[];
  trainingSeconds: number;
  weights: WeightEntry[];
  /**
   * What the version's explanations are worth, measured at training time on served pairs (explanation-health.ts);
   * absent in versions written before runs measured it.
   */
  health?: ExplanationHealth;
  /** Model-specific state beyond weights (environment assignments, masks, ...). */
  extra?: Record<string, unknown>;
}

/** The manifest as a trainer fills it in; the store adds version, timestamps and weight entries. */
export type NewArtifact = Omit<ArtifactManifest, 'format' | 'version' | 'createdAt' | 'weights'>;
