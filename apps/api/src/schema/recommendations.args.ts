// Arguments of the recommendations and rating queries.
import 'reflect-metadata';
import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class RecommendationsArgs {
  @Field(() => String, { description: 'The dataset, by name (see `datasets`).' })
  dataset!: string;

  @Field(() => String, { description: "The user, by id (its token in the dataset's files)." })
  userId!: string;

  @Field(() => Int, { defaultValue: 20, description: 'How many recommendations in this page: 1 to 100.' })
  first!: number;

  @Field(() => String, { nullable: true, description: 'Continue after this cursor (a previous page\'s endCursor).' })
  after?: string | null;

  @Field(() => Boolean, { defaultValue: true, description: "Leave out the user's training interactions (true, the usual) or rank the whole catalogue (false)." })
  excludeInteracted!: boolean;

  @Field(() => String, { nullable: true, description: 'Rank with this model version instead of the current one (to compare versions side by side; see `models`).' })
  modelVersion?: string | null;
}

@ArgsType()
export class RatingArgs {
  @Field(() => String, { description: 'The dataset, by name.' })
  dataset!: string;

  @Field(() => String, { description: 'The user, by id.' })
  userId!: string;

  @Field(() => String, { description: 'The item, by id.' })
  itemId!: string;

  @Field(() => String, { nullable: true, description: 'Rate with this model version instead of the current one.' })
  modelVersion?: string | null;
}
