// A model version's explanation health (docs/method.md#explanation-health): what its explanations are
// worth, measured at training time on the pairs the product serves, and its degenerate splits in words.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { ExplanationHealth as Health } from '@eior/model';

@ObjectType({ simpleResolvers: true, description: 'Mean, standard deviation and percentiles of α_I, the invariant branch\'s weight, over the sampled pairs.' })
export class AlphaSpread {
  @Field(() => Float, { description: 'Mean α_I.' })
  mean!: number;

  @Field(() => Float, { description: 'Standard deviation of α_I (population); under 0.01 the attention does not tell pairs apart.' })
  std!: number;

  @Field(() => Float, { description: '5th percentile of α_I.' })
  p5!: number;

  @Field(() => Float, { description: '25th percentile of α_I.' })
  p25!: number;

  @Field(() => Float, { description: 'Median α_I.' })
  p50!: number;

  @Field(() => Float, { description: '75th percentile of α_I.' })
  p75!: number;

  @Field(() => Float, { description: '95th percentile of α_I.' })
  p95!: number;
}

@ObjectType({ simpleResolvers: true, description: "Whether one modality's stated part is faithful: what zeroing the modality's block of x does to the scores and ranks." })
export class ModalityFaithfulness {
  @Field(() => String, { description: 'The modality, e.g. visual.' })
  modality!: string;

  @Field(() => Float, {
    description:
      "Largest |rating with the modality zeroed, from the model's own full ranking − Σ_b α'_b (branch score − the modality's stated part)| over the pairs (α' the weights after zeroing): float32 rounding (about 1e-6) when the stated parts are what the model computes.",
  })
  maxDeviation!: number;

  @Field(() => Float, { description: "Mean absolute change of the pair's item's rank in the user's list (training items excluded) when the modality is zeroed; α is recomputed." })
  meanRankChange!: number;

  @Field(() => Float, { description: "Mean |α-weighted stated part| of the modality in the rating over the pairs." })
  meanContribution!: number;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "The \"because you interacted with\" check. The scores of UltraGCN and EIOR do not read the history when serving (a user's vector is trained), so removing history items changes no score; this measures what the list claims, co-occurrence evidence Σ ω_ij over the history, removed with the named items against as many random history items.",
})
export class EvidenceCheck {
  @Field(() => Int, { description: 'Items removed per pair (the list\'s default length).' })
  removed!: number;

  @Field(() => Int, { description: 'Users whose pairs were measured (those with more history items than are removed).' })
  users!: number;

  @Field(() => Int, { description: 'Pairs measured.' })
  pairs!: number;

  @Field(() => Float, { description: 'Mean co-occurrence evidence removed with the named items.' })
  meanDropNamed!: number;

  @Field(() => Float, { description: 'Mean co-occurrence evidence removed with as many random history items (exact expectation).' })
  meanDropRandom!: number;

  @Field(() => Float, { nullable: true, description: 'meanDropNamed / meanDropRandom (well above 1 when the list names the evidence); null when random items carry none.' })
  ratio!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'A degenerate explanation split, in words.' })
export class HealthFlag {
  @Field(() => String, { description: 'Stable code: MASK_EMPTY, MASK_FULL, NOTHING_STABLE, ALPHA_FLAT, CONTENT_TINY, PARTS_UNFAITHFUL or EVIDENCE_FLAT.' })
  code!: string;

  @Field(() => String, { description: 'What is degenerate and what it means for the explanations.' })
  message!: string;
}

@ObjectType({ simpleResolvers: true, description: "What a version's explanations are worth, measured at training time over a seeded sample of (user, top-K item) pairs." })
export class ExplanationHealth {
  @Field(() => Int, { description: 'Seed of the user sample.' })
  seed!: number;

  @Field(() => Int, { description: 'Users sampled (with training items).' })
  sampleUsers!: number;

  @Field(() => Int, { description: 'Pairs measured: each sampled user with each of their top-K items.' })
  samplePairs!: number;

  @Field(() => Int, { description: 'K: items per user.' })
  topK!: number;

  @Field(() => Float, { nullable: true, description: 'Share of Σ|part| of the ratings (α-weighted) that comes from content, all modality parts together; null for models whose score has no parts.' })
  contentShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share that comes from the item-id part e_u,id · V_i.' })
  idShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share that comes from the projection biases e_u,f · b.' })
  biasShare!: number | null;

  @Field(() => AlphaSpread, { nullable: true, description: 'α_I over the pairs; null for models without two fused branches.' })
  alpha!: AlphaSpread | null;

  @Field(() => Int, { nullable: true, description: 'Columns of the feature mask; null for kinds without one.' })
  maskColumns!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of the mask\'s columns kept (m > 0.5) for the invariant branch; null for kinds without a mask.' })
  maskKept!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Columns of the learned mask whose value stands out above the rest (modified z-score above 3.5): the content the invariance stage found stable across environments. Null for kinds without a mask and for versions trained before it was recorded.',
  })
  maskStable!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Items without train edges that EIOR's new-item route scores by their stable content columns (α_I = 1); null when the version has no route (no such item, no stable column, or another kind).",
  })
  newItems!: number | null;

  @Field(() => Int, { nullable: true, description: 'How many of the sampled pairs the new-item route scored; null when the version has no route.' })
  newItemPairs!: number | null;

  @Field(() => [ModalityFaithfulness], { description: 'Faithfulness per modality; empty for models whose score has no modality parts.' })
  modalities!: ModalityFaithfulness[];

  @Field(() => EvidenceCheck, { nullable: true, description: 'The "because you interacted with" check; null when no sampled user has enough history.' })
  becauseYouWatched!: EvidenceCheck | null;

  @Field(() => [HealthFlag], { description: 'Degenerate splits in words; empty when none. Where a flag is raised the parts are not drawn as a finding.' })
  flags!: HealthFlag[];
}

/** The stored health (manifest / graph JSON) as the GraphQL object. */
export function toExplanationHealth(h: Health): ExplanationHealth {
  return {
    seed: h.sample.seed,
    sampleUsers: h.sample.users,
    samplePairs: h.sample.pairs,
    topK: h.sample.topK,
    contentShare: h.shares?.content ?? null,
    idShare: h.shares?.id ?? null,
    biasShare: h.shares?.bias ?? null,
    alpha: h.alpha,
    maskColumns: h.mask?.columns ?? null,
    maskKept: h.mask?.kept ?? null,
    maskStable: h.mask?.stable ?? null,
    newItems: h.newItems?.items ?? null,
    newItemPairs: h.newItems?.routedPairs ?? null,
    modalities: h.modalities,
    becauseYouWatched: h.becauseYouWatched,
    flags: h.flags,
  };
}
