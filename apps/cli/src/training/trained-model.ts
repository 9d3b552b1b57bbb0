// What each trainer of `eior train` hands back to the run: everything the artifact, the (:ModelRun) and, for the
// EIOR kinds, the (:Environment) nodes need.
import type { EnvironmentsWrite } from '@eior/graph';
import type { EpochRecord, ExplanationHealth, FloorPerUser, TrainResult, WeightSnapshot } from '@eior/model';

export interface StageSeconds {
  stage: string;
  seconds: number;
}

/** What the invariance stage learned, in a few figures for the report and the manifest. */
export interface InvarianceSummary {
  environments: { source: string; count: number; sizes: number[] };
  /** What found the mask: `stability` (time windows) or `penalty` (the mask learner). */
  estimator?: string;
  /** The feature mask m: its columns, the share kept (m > 0.5) and its mean. */
  mask: { columns: number; kept: number; mean: number };
}

export interface Trained {
  config: Record<string, unknown>;
  weights: WeightSnapshot;
  shapes: Map<string, number[]>;
  bestEpoch: number;
  stoppedEarly: boolean;
  curve: EpochRecord[];
  valid: Record<string, number>;
  test: Record<string, number>;
  /** Seconds of each stage of a staged pipeline (the EIOR kinds: backbone, invariance, final). */
  stages?: StageSeconds[];
  invariance?: InvarianceSummary;
  /** Model-specific facts for the manifest's `extra` (environments, mask, stages). */
  extra?: Record<string, unknown>;
  /** What the version's explanations are worth, measured on served pairs (absent for none). */
  health?: ExplanationHealth;
  /** The environments to write into the graph once the run's version is known. */
  environments?: Omit<EnvironmentsWrite, 'dataset' | 'run'>;
  /** Each evaluated user's NDCG@20 on validation (the best epoch) and test: the lift's intervals pair them with popularity's. */
  floorPerUser?: FloorPerUser;
}

/** The line both trainers print for the ID-only run an idPretrain model started from. */
export function describePretrain(pretrain: TrainResult): string {
  const valid = pretrain.bestValid?.[20];
  return `  ID-only run first (idPretrain): best epoch ${pretrain.bestEpoch} of ${pretrain.curve.length}${valid ? `, validation ndcg@20 ${valid.ndcg.toFixed(4)}` : ''}; the multimodal model starts from it`;
}
