// Items (the short videos) as the API shows them: id, interaction counts, a summary of each modality's features.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { InteractionCounts } from './common.type';

@ObjectType({ simpleResolvers: true, description: "A summary of one modality's feature vector of an item (the vector itself stays in the graph)." })
export class FeatureSummary {
  @Field(() => String, { description: 'The modality: visual, acoustic or textual (as named by the dataset).' })
  modality!: string;

  @Field(() => Int, { description: 'Length of the vector.' })
  width!: number;

  @Field(() => Float, { description: 'Euclidean norm of the vector.' })
  norm!: number;

  @Field(() => Float, { description: 'Mean of its values.' })
  mean!: number;

  @Field(() => Float, { description: 'Smallest value.' })
  min!: number;

  @Field(() => Float, { description: 'Largest value.' })
  max!: number;
}

@ObjectType({ simpleResolvers: true, description: 'An item (a short video) of a dataset.' })
export class Item {
  @Field(() => String, { description: "The item's id: its token in the dataset's files." })
  id!: string;

  @Field(() => String, { description: 'The dataset the item belongs to.' })
  dataset!: string;

  @Field(() => Int, { description: "The item's dense index in the dataset (what the model uses)." })
  index!: number;

  @Field(() => InteractionCounts, { description: 'How many interactions the item has, per split and from feedback.' })
  interactions!: InteractionCounts;

  @Field(() => [FeatureSummary], { description: 'One summary per modality the item has features for.' })
  features!: FeatureSummary[];
}

export enum SimilarityKind {
  CO_OCCURRENCE = 'co-occurrence',
  CONTENT = 'content',
}

registerEnumType(SimilarityKind, {
  name: 'SimilarityKind',
  description: 'How a similarity between two items was measured.',
  valuesConfig: {
    CO_OCCURRENCE: { description: "UltraGCN's item-item weight ω_ij = (G_ij / g_i) · sqrt((g_i + 1) / (g_j + 1)) from the users the items share." },
    CONTENT: { description: "Cosine of the items' feature vectors (used when the items share no user, e.g. a cold item)." },
  },
});

@ObjectType({ simpleResolvers: true, description: 'An item similar to another, and how similar.' })
export class SimilarItem {
  @Field(() => Float, {
    description: "The similarity: UltraGCN's item-item weight ω_ij from shared users (kind CO_OCCURRENCE), or the cosine of the items' feature vectors (kind CONTENT).",
  })
  similarity!: number;

  @Field(() => SimilarityKind, { description: 'How the similarity was measured.' })
  kind!: SimilarityKind;

  /** Dataset and dense index of the similar item (resolved to `item` through the per-request loader). */
  dataset!: string;

  itemIdx!: number;
}
