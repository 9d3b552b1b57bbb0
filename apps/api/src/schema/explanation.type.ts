// Why a model rates an item as it does for a user (docs/method.md#7-explanations): the weights α_I/α_E of the invariant and
// variant branches, each branch's score, each modality's exact contribution to each branch score, the user's
// environment and the user's own items most similar to the item.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ServingModel } from '../serving/serving-model';

export enum Branch {
  INVARIANT = 'invariant',
  VARIANT = 'variant',
}

registerEnumType(Branch, {
  name: 'Branch',
  description: 'The two parts of an EIOR item representation.',
  valuesConfig: {
    INVARIANT: { description: 'Features kept by the invariance mask m, learned with IRM across environments (stable preferences).' },
    VARIANT: { description: 'The complementary features x ⊙ (1 − m), learned with plain ERM (environment-specific preferences).' },
  },
});

@ObjectType({ simpleResolvers: true, description: "One modality's exact contribution to each branch score (the parts add up to the branch's feature score)." })
export class ModalityContribution {
  @Field(() => String, { description: 'The modality: visual, acoustic or textual.' })
  modality!: string;

  @Field(() => Float, { nullable: true, description: "e_u,f · W_m x_i,m in the invariant branch; null when the model has no invariant branch." })
  invariantContribution!: number | null;

  @Field(() => Float, { nullable: true, description: 'The same in the variant branch; null when the model has no variant branch.' })
  variantContribution!: number | null;

  @Field(() => Boolean, {
    description: 'True when the item was ingested without this modality (no feature row, or an all-NaN one): the model saw a zero block, so its contributions are 0 because the modality was absent, not because it weighed nothing.',
  })
  absent!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'One branch score split into its parts: score = id + bias + Σ modality contributions.' })
export class BranchScore {
  @Field(() => Branch, { description: 'Which branch.' })
  branch!: Branch;

  @Field(() => Float, { nullable: true, description: 'The branch weight α (α_I + α_E = 1); null when the model does not weigh branches.' })
  weight!: number | null;

  @Field(() => Float, { description: 'The branch score s.' })
  score!: number;

  @Field(() => Float, { description: 'The collaborative part e_u,id · V_i (from the item\'s id embedding).' })
  idContribution!: number;

  @Field(() => Float, { description: 'The projection bias part e_u,f · b.' })
  biasContribution!: number;
}

@ObjectType({ simpleResolvers: true, description: "Everything behind a rating: ŷ = α_I s_I + α_E s_E, with each score's parts." })
export class Explanation {
  @Field(() => Float, { nullable: true, description: 'α_I, the weight of the invariant branch, in [0, 1]; null for models without two branches.' })
  invariantWeight!: number | null;

  @Field(() => Float, { nullable: true, description: 'α_E = 1 − α_I, the weight of the variant branch; null for models without two branches.' })
  variantWeight!: number | null;

  @Field(() => Float, { nullable: true, description: 's_I, the invariant branch score; null when the model has no invariant branch.' })
  invariantScore!: number | null;

  @Field(() => Float, { nullable: true, description: 's_E, the variant branch score; null when the model has no variant branch.' })
  variantScore!: number | null;

  @Field(() => [ModalityContribution], { description: "Each modality's contribution to each branch score." })
  modalities!: ModalityContribution[];

  @Field(() => [BranchScore], { description: 'Each branch score with its id and bias parts.' })
  branches!: BranchScore[];

  @Field(() => Int, { nullable: true, description: "The user's environment (from the model's invariance stage); null for models without environments." })
  environment!: number | null;

  @Field(() => Boolean, {
    description:
      'True when the item had no interactions in the data the model was trained on and EIOR scored it by its new-item route: the content columns the invariance stage found stable, alone (α_I = 1, no item-id part). False for every other pair and model.',
  })
  newItem!: boolean;

  @Field(() => String, { description: 'One sentence for people: which branch weighed most and which part drove its score.' })
  summary!: string;

  /** What the field resolvers need to compute the rest lazily. */
  pair!: ExplainedPair;
}

export interface ExplainedPair {
  model: ServingModel;
  user: number;
  item: number;
}
