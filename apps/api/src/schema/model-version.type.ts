// Trained model versions of a dataset: config, metrics, training curve, which one is current.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Metric } from './common.type';
import { ExplanationHealth } from './explanation-health.type';
import { TrainedOn } from './trained-on.type';

@ObjectType({
  simpleResolvers: true,
  description: "How sure a lift over popularity is: the paired percentile bootstrap over the split's users (both rankings' values of the same users resampled together).",
})
export class LiftInterval {
  @Field(() => Float, { description: 'The lower end of the interval (−0.03 = 3 % below popularity).' })
  low!: number;

  @Field(() => Float, { description: 'The upper end of the interval (0.08 = 8 % above popularity).' })
  high!: number;

  @Field(() => Float, { description: 'Coverage of the interval, e.g. 0.95.' })
  level!: number;

  @Field(() => Int, { description: 'Bootstrap resamples it was read from.' })
  resamples!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One epoch of a training run.' })
export class EpochPoint {
  @Field(() => Int, { description: 'Epoch number, from 1.' })
  epoch!: number;

  @Field(() => Float, { nullable: true, description: 'Mean training loss per positive pair.' })
  loss!: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds of training in the epoch (evaluation excluded).' })
  seconds!: number | null;

  @Field(() => [Metric], { description: 'Validation metrics on the epochs that were evaluated (recall@20, ndcg@20, ...); empty otherwise.' })
  validation!: Metric[];
}

@ObjectType({ simpleResolvers: true, description: 'A trained model version of a dataset.' })
export class ModelVersion {
  @Field(() => String, { description: 'The dataset it was trained on.' })
  dataset!: string;

  @Field(() => String, { description: 'The version, e.g. v0003 (higher is newer).' })
  version!: string;

  @Field(() => String, { description: 'The kind of model: eior, invrl, variant, ultragcn-features, ultragcn or popularity.' })
  model!: string;

  @Field(() => String, { description: 'When training finished (ISO 8601).' })
  createdAt!: string;

  @Field(() => Boolean, { description: 'True for the version `eior train` made current (the one the API serves once loaded).' })
  current!: boolean;

  @Field(() => Boolean, { description: 'True when this API process is serving this version right now.' })
  serving!: boolean;

  @Field(() => String, { description: 'The TensorFlow.js backend that trained it (tfjs-node-gpu, tfjs-node, wasm, cpu).' })
  backend!: string;

  @Field(() => Int, { description: 'The epoch whose weights were kept (best validation Recall@20).' })
  bestEpoch!: number;

  @Field(() => Float, { description: 'Seconds the training took.' })
  trainingSeconds!: number;

  @Field(() => GraphQLJSONObject, { description: "The model's full config (hyperparameters), as stored with the version." })
  config!: Record<string, unknown>;

  @Field(() => [Metric], { description: 'Metrics on the validation split at the best epoch.' })
  validMetrics!: Metric[];

  @Field(() => [Metric], { description: 'Metrics on the test split (full ranking, training items excluded).' })
  testMetrics!: Metric[];

  @Field(() => [Metric], {
    description: 'The popularity list scored on the same validation split in the same run: the floor this version must clear to be made current. Empty for versions trained before runs scored it.',
  })
  popularityValidMetrics!: Metric[];

  @Field(() => Float, {
    nullable: true,
    description: "Lift over popularity: validation NDCG@20 / popularity's validation NDCG@20 − 1 (0.25 = 25 % better, negative = worse than a popularity list). Null when popularity was not scored with this version or scores 0.",
  })
  liftOverPopularity!: number | null;

  @Field(() => LiftInterval, {
    nullable: true,
    description:
      'The interval of liftOverPopularity over the validation users: when it holds 0, this validation split cannot tell the version from popularity (the floor still reads the means). Null for versions trained before runs kept it, or when liftOverPopularity is null.',
  })
  liftInterval!: LiftInterval | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "False when the version's validation NDCG@20 is below popularity's: it is made current only when forced. Null when popularity was not scored with this version.",
  })
  clearsPopularity!: boolean | null;

  @Field(() => TrainedOn, {
    nullable: true,
    description: 'The data it was trained on (fingerprint, events, appends) against the data now in the graph: after an append, how many new events it predates. Null for versions recorded before runs kept it.',
  })
  trainedOn!: TrainedOn | null;

  @Field(() => [EpochPoint], { description: 'The training curve, one point per epoch.' })
  trainingCurve!: EpochPoint[];

  @Field(() => ExplanationHealth, {
    nullable: true,
    description: "What the version's explanations are worth (content share, α_I spread, mask, faithfulness, degenerate splits), measured when it was trained. Null for versions trained before runs measured it.",
  })
  explanationHealth!: ExplanationHealth | null;
}
