// A recommended (or asked-about) item with its rating and explanation, and the cursor connection that pages them.
import 'reflect-metadata';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ServingModel } from '../serving/serving-model';
import { PageInfo } from './common.type';
import { Explanation } from './explanation.type';

@ObjectType({ simpleResolvers: true, description: 'An item rated for a user by the current model, with why.' })
export class Rating {
  @Field(() => ID, { description: 'Identifies this (model version, user, item) rating: pass it as recommendationId when recording feedback on it.' })
  id!: string;

  @Field(() => Float, { description: 'The rating ŷ = α_I s_I + α_E s_E (for one-branch models, that branch\'s score); higher ranks first.' })
  rating!: number;

  @Field(() => Boolean, { description: "True when the item is one of the user's training interactions." })
  interacted!: boolean;

  @Field(() => Explanation, { description: 'Why the model rates the item so.' })
  explanation!: Explanation;

  @Field(() => String, { description: 'The model version that produced the rating.' })
  modelVersion!: string;

  @Field(() => String, { description: 'The kind of model: eior, invrl, variant, ultragcn-features, ultragcn or popularity.' })
  model!: string;

  /** Internal: the serving model and dense indexes, for the item and user field resolvers. */
  ref!: { model: ServingModel; user: number; item: number };
}

@ObjectType({ simpleResolvers: true, description: "One of a user's recommendations: a rating with its rank." })
export class Recommendation extends Rating {
  @Field(() => Int, { description: 'Position in the user\'s ranking, 1 for the best.' })
  rank!: number;
}

@ObjectType({ simpleResolvers: true, description: 'An edge of the recommendation connection.' })
export class RecommendationEdge {
  @Field(() => String, { description: 'Cursor of this edge: pass it as `after` to continue after it.' })
  cursor!: string;

  @Field(() => Recommendation, { description: 'The recommendation.' })
  node!: Recommendation;
}

@ObjectType({ simpleResolvers: true, description: "A page of a user's recommendations, best first." })
export class RecommendationConnection {
  @Field(() => [RecommendationEdge], { description: 'The page, in rank order.' })
  edges!: RecommendationEdge[];

  @Field(() => PageInfo, { description: 'Whether more pages follow.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many items the ranking holds in all (it stops at 1,000).' })
  totalCount!: number;

  @Field(() => String, { description: 'The model version that ranked them.' })
  modelVersion!: string;
}
