// Users as the API shows them.
import 'reflect-metadata';
import { Field, Int, ObjectType } from 'type-graphql';
import { InteractionCounts } from './common.type';

@ObjectType({ simpleResolvers: true, description: 'A user of a dataset.' })
export class User {
  @Field(() => String, { description: "The user's id: its token in the dataset's files." })
  id!: string;

  @Field(() => String, { description: 'The dataset the user belongs to.' })
  dataset!: string;

  @Field(() => Int, { description: "The user's dense index in the dataset." })
  index!: number;

  @Field(() => InteractionCounts, { description: 'How many interactions the user has, per split and from feedback.' })
  interactions!: InteractionCounts;

  @Field(() => Int, {
    nullable: true,
    description: "The environment the current model's invariance stage put the user in (the one holding most of the user's training interactions); null for models without environments.",
  })
  environment!: number | null;
}
