export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

/** The two parts of an EIOR item representation. */
export type Branch =
  /** Features kept by the invariance mask m, learned with IRM across environments (stable preferences). */
  | 'INVARIANT'
  /** The complementary features x ⊙ (1 − m), learned with plain ERM (environment-specific preferences). */
  | 'VARIANT';

/** What a drift comparison sets against what. */
export type DriftComparisonKind =
  /** One training environment's interactions against the other environments'. */
  | 'ENVIRONMENT'
  /** The served version's top-K recommendations against the previous version's, for a fixed sample of users. */
  | 'MODEL_VERSION'
  /** α_I over training pairs against α_I over the recommendations this process served. */
  | 'SERVED'
  /** An earlier period against a later one: the training split against the later splits (data with timestamps), or against feedback recorded through the API. */
  | 'TIME_WINDOW';

/** Whether the report is about the served model version. Reports are built in the background (when a version starts serving, then on a schedule), never for a request. */
export type DriftReportState =
  /** No report has finished yet (one is being built): ask again later. computedAt and ageSeconds are null, hasTimestamps false and comparisons empty. */
  | 'NOT_READY'
  /** The last finished report is about the version being served. */
  | 'READY'
  /** The last finished report is about an earlier version; a report of the served one is being built. */
  | 'STALE';

/** One interaction of a user with an item, as the product observed it. */
export type InteractionInput = {
  /** The caller's id of the interaction; sending the same id again changes nothing. */
  id: Scalars['ID']['input'];
  /** The item, by id. */
  itemId: Scalars['String']['input'];
  /** When it happened (ISO 8601, e.g. 2026-11-27T21:00:00Z). */
  occurredAt: Scalars['DateTimeISO']['input'];
  /** An explicit rating, when the interaction has one. */
  rating?: InputMaybe<Scalars['Float']['input']>;
  /** The id of the served recommendation (Rating.id) the interaction answers, when it answers one. */
  recommendationId?: InputMaybe<Scalars['ID']['input']>;
  /** The user, by id. */
  userId: Scalars['String']['input'];
};

/** How a similarity between two items was measured. */
export type SimilarityKind =
  /** Cosine of the items' feature vectors (used when the items share no user, e.g. a cold item). */
  | 'CONTENT'
  /** UltraGCN's item-item weight ω_ij = (G_ij / g_i) · sqrt((g_i + 1) / (g_j + 1)) from the users the items share. */
  | 'CO_OCCURRENCE';

/** How the data a version was trained on relates to the data now in the graph. */
export type TrainedOnState =
  /** Trained on all the data now in the graph. */
  | 'CURRENT'
  /** Trained on data the dataset no longer holds (it was ingested again from other files): it cannot serve. */
  | 'OTHER_DATA'
  /** Trained before one or more appends: it serves the users and items it was trained on, and has not seen the newer events. */
  | 'PREDATES_APPENDS';

export type EnvironmentsQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
}>;


export type EnvironmentsQuery = { environments: Array<{ index: number, modelVersion: string, source: string, size: number, users: number, share: number, meanInvariantWeight: number | null, meanVariantWeight: number | null, metrics: Array<{ name: string, value: number }> }> };

export type DriftQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
}>;


export type DriftQuery = { drift: { dataset: string, modelVersion: string, state: DriftReportState, computedAt: string | null, ageSeconds: number | null, hasTimestamps: boolean, comparisons: Array<{ kind: DriftComparisonKind, name: string, reference: string, current: string, referenceSize: number, currentSize: number, driftedShare: number, drifted: boolean, values: Array<{ subject: string, modality: string | null, detail: string | null, method: string, value: number, threshold: number, drifted: boolean, psi: number | null, psiBand: string | null }> }> } };

export type ModelsQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
}>;


export type ModelsQuery = { models: Array<{ dataset: string, version: string, model: string, createdAt: string, current: boolean, serving: boolean, backend: string, bestEpoch: number, trainingSeconds: number, config: Record<string, unknown>, liftOverPopularity: number | null, clearsPopularity: boolean | null, validMetrics: Array<{ name: string, value: number }>, testMetrics: Array<{ name: string, value: number }>, popularityValidMetrics: Array<{ name: string, value: number }>, liftInterval: { low: number, high: number, level: number } | null, trainedOn: { fingerprint: string, events: number, appends: number, state: TrainedOnState, newEvents: number | null, newAppends: number | null, summary: string } | null, explanationHealth: { seed: number, sampleUsers: number, samplePairs: number, topK: number, contentShare: number | null, idShare: number | null, biasShare: number | null, maskColumns: number | null, maskKept: number | null, maskStable: number | null, newItems: number | null, newItemPairs: number | null, alpha: { mean: number, std: number, p5: number, p25: number, p50: number, p75: number, p95: number } | null, modalities: Array<{ modality: string, maxDeviation: number, meanRankChange: number, meanContribution: number }>, becauseYouWatched: { removed: number, users: number, pairs: number, meanDropNamed: number, meanDropRandom: number, ratio: number | null } | null, flags: Array<{ code: string, message: string }> } | null }>, tunings: Array<{ id: string, model: string, status: string, startedAt: string, spentSeconds: number, bestTrial: string | null, bestScore: number | null, bestSettings: Record<string, unknown> | null, version: string | null, trials: Array<{ id: string, seq: number, bracket: number, rung: number, epochs: number, settings: Record<string, unknown>, status: string, score: number | null, bestEpoch: number, seconds: number }> }> };

export type DatasetsQueryVariables = Exact<{ [key: string]: never; }>;


export type DatasetsQuery = { datasets: Array<{ name: string, status: string, users: number, items: number, ingestedAt: string | null, events: number, appends: number, appendedAt: string | null, eventsPerDay: { undated: number, days: Array<{ day: string, events: number }> }, interactions: { train: number, valid: number, test: number, feedback: number }, modalities: Array<{ name: string, width: number }>, currentModel: { version: string, model: string, createdAt: string, backend: string, bestEpoch: number, serving: boolean, trainedOn: { state: TrainedOnState, newEvents: number | null, newAppends: number | null } | null, testMetrics: Array<{ name: string, value: number }>, trainingCurve: Array<{ epoch: number, loss: number | null, validation: Array<{ name: string, value: number }> }> } | null }> };

export type DatasetNamesQueryVariables = Exact<{ [key: string]: never; }>;


export type DatasetNamesQuery = { datasets: Array<{ name: string, currentModel: { version: string } | null }> };

export type ModelListQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
}>;


export type ModelListQuery = { models: Array<{ version: string, model: string, createdAt: string, current: boolean, serving: boolean }> };

export type UserQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
  userId: Scalars['String']['input'];
}>;


export type UserQuery = { user: { id: string, index: number, environment: number | null, interactions: { train: number, valid: number, test: number, feedback: number } } };

export type ExplanationFieldsFragment = { invariantWeight: number | null, variantWeight: number | null, invariantScore: number | null, variantScore: number | null, environment: number | null, newItem: boolean, summary: string, modalities: Array<{ modality: string, invariantContribution: number | null, variantContribution: number | null }>, branches: Array<{ branch: Branch, weight: number | null, score: number, idContribution: number, biasContribution: number }> };

export type RecommendationsQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
  userId: Scalars['String']['input'];
  first: Scalars['Int']['input'];
}>;


export type RecommendationsQuery = { recommendations: { totalCount: number, modelVersion: string, edges: Array<{ node: { id: string, rank: number, rating: number, model: string, item: { id: string }, explanation: { invariantWeight: number | null, variantWeight: number | null, invariantScore: number | null, variantScore: number | null, environment: number | null, newItem: boolean, summary: string, becauseYouInteractedWith: Array<{ similarity: number, kind: SimilarityKind, item: { id: string } }>, modalities: Array<{ modality: string, invariantContribution: number | null, variantContribution: number | null }>, branches: Array<{ branch: Branch, weight: number | null, score: number, idContribution: number, biasContribution: number }> } } }> } };

export type RatingQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
  userId: Scalars['String']['input'];
  itemId: Scalars['String']['input'];
}>;


export type RatingQuery = { rating: { id: string, rating: number, interacted: boolean, model: string, modelVersion: string, item: { id: string, interactions: { train: number, valid: number, test: number, feedback: number } }, explanation: { invariantWeight: number | null, variantWeight: number | null, invariantScore: number | null, variantScore: number | null, environment: number | null, newItem: boolean, summary: string, becauseYouInteractedWith: Array<{ similarity: number, kind: SimilarityKind, item: { id: string } }>, modalities: Array<{ modality: string, invariantContribution: number | null, variantContribution: number | null }>, branches: Array<{ branch: Branch, weight: number | null, score: number, idContribution: number, biasContribution: number }> } } };

export type ModelOverlapQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
}>;


export type ModelOverlapQuery = { drift: { modelVersion: string, state: DriftReportState, computedAt: string | null, comparisons: Array<{ kind: DriftComparisonKind, name: string, reference: string, current: string, currentSize: number, values: Array<{ subject: string, detail: string | null, method: string, value: number, threshold: number, drifted: boolean }> }> } };

export type VersionTopQueryVariables = Exact<{
  dataset: Scalars['String']['input'];
  userId: Scalars['String']['input'];
  first: Scalars['Int']['input'];
  modelVersion: InputMaybe<Scalars['String']['input']>;
}>;


export type VersionTopQuery = { recommendations: { modelVersion: string, edges: Array<{ node: { rank: number, rating: number, model: string, item: { id: string }, explanation: { invariantWeight: number | null } } }> } };
