// The drift report: comparisons of a reference and a current set of interactions, each subject reported as
// (method, value, threshold, drifted) with Evidently's default rules.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum DriftComparisonKind {
  ENVIRONMENT = 'environment',
  TIME_WINDOW = 'time-window',
  SERVED = 'served',
  MODEL_VERSION = 'model-version',
}

registerEnumType(DriftComparisonKind, {
  name: 'DriftComparisonKind',
  description: 'What a drift comparison sets against what.',
  valuesConfig: {
    ENVIRONMENT: { description: "One training environment's interactions against the other environments'." },
    TIME_WINDOW: { description: 'An earlier period against a later one: the training split against the later splits (data with timestamps), or against feedback recorded through the API.' },
    SERVED: { description: 'α_I over training pairs against α_I over the recommendations this process served.' },
    MODEL_VERSION: { description: "The served version's top-K recommendations against the previous version's, for a fixed sample of users." },
  },
});

export enum DriftReportState {
  READY = 'ready',
  STALE = 'stale',
  NOT_READY = 'not-ready',
}

registerEnumType(DriftReportState, {
  name: 'DriftReportState',
  description: 'Whether the report is about the served model version. Reports are built in the background (when a version starts serving, then on a schedule), never for a request.',
  valuesConfig: {
    READY: { description: 'The last finished report is about the version being served.' },
    STALE: { description: 'The last finished report is about an earlier version; a report of the served one is being built.' },
    NOT_READY: { description: 'No report has finished yet (one is being built): ask again later. computedAt and ageSeconds are null, hasTimestamps false and comparisons empty.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'One drift figure: which test or distance, its value, the threshold, and whether it counts as drift.' })
export class DriftValue {
  @Field(() => String, {
    description: 'What is compared: `feature` (one feature column), `modality` (all columns of a modality), `block` (the invariant or the variant columns), `popularity` (items\' training interactions), `score` (the model\'s rating), `invariant-weight` (α_I) or `top-k-overlap`.',
  })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'The modality of a feature column or modality summary.' })
  modality!: string | null;

  @Field(() => String, { nullable: true, description: "A feature column's index within its modality, `invariant` or `variant` for a block, `k=20` for top-K overlap." })
  detail!: string | null;

  @Field(() => String, {
    description: 'ks, chisquare, z (p-values: drift below the threshold); wasserstein, jensenshannon (distances: drift at or above); share-of-drifted-columns; mean-overlap (drift below).',
  })
  method!: string;

  @Field(() => Float, { description: 'The p-value, distance, share or overlap.' })
  value!: number;

  @Field(() => Float, { description: "The method's default threshold (Evidently: 0.05 for tests, 0.1 for distances, 0.5 for the share of drifted columns)." })
  threshold!: number;

  @Field(() => Boolean, { description: 'True when the value is past the threshold in the method\'s direction.' })
  drifted!: boolean;

  @Field(() => Int, { description: 'Rows on the reference side.' })
  referenceSize!: number;

  @Field(() => Int, { description: 'Rows on the current side.' })
  currentSize!: number;

  @Field(() => Float, { nullable: true, description: 'Population stability index for numerical subjects (popularity, score, α_I).' })
  psi!: number | null;

  @Field(() => String, { nullable: true, description: 'PSI band: none (< 0.1), moderate (0.1 to 0.25), significant (>= 0.25).' })
  psiBand!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A reference set of interactions against a current one.' })
export class DriftComparison {
  @Field(() => DriftComparisonKind, { description: 'What kind of comparison.' })
  kind!: DriftComparisonKind;

  @Field(() => String, { description: 'A short name, e.g. "environment 2 vs the rest".' })
  name!: string;

  @Field(() => String, { description: 'What the reference side holds.' })
  reference!: string;

  @Field(() => String, { description: 'What the current side holds.' })
  current!: string;

  @Field(() => Int, { description: 'Rows on the reference side (sides of more than 5,000 interactions are sampled down to 5,000).' })
  referenceSize!: number;

  @Field(() => Int, { description: 'Rows on the current side.' })
  currentSize!: number;

  @Field(() => Float, { description: 'Share of the compared subjects (each feature column, popularity, score, α_I) that drifted.' })
  driftedShare!: number;

  @Field(() => Boolean, { description: "True when at least half the subjects drifted (Evidently's dataset drift)." })
  drifted!: boolean;

  @Field(() => [DriftValue], { description: 'Summaries per modality and feature block, and popularity, score and α_I.' })
  values!: DriftValue[];

  @Field(() => [DriftValue], { description: 'Every feature column\'s own test (many values: ask for it only when needed).' })
  columns!: DriftValue[];
}

@ObjectType({ simpleResolvers: true, description: "The drift report of a dataset's served model." })
export class DriftReport {
  @Field(() => String, { description: 'The dataset.' })
  dataset!: string;

  @Field(() => String, { description: 'The model version the report is about (the served one when no report is ready).' })
  modelVersion!: string;

  @Field(() => DriftReportState, { description: 'READY, STALE (about an earlier version) or NOT_READY (none finished yet).' })
  state!: DriftReportState;

  @Field(() => String, { nullable: true, description: 'When the report was computed (ISO 8601); null when none is ready.' })
  computedAt!: string | null;

  @Field(() => Float, { nullable: true, description: 'Seconds since the report was computed; null when none is ready.' })
  ageSeconds!: number | null;

  @Field(() => Boolean, { description: 'True when the training interactions carry timestamps; without them there is no training-vs-later time window.' })
  hasTimestamps!: boolean;

  @Field(() => [DriftComparison], { description: 'The comparisons, environments first.' })
  comparisons!: DriftComparison[];
}
