// Environments the invariance stage learned for a model version.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Metric } from './common.type';

@ObjectType({ simpleResolvers: true, description: "An environment of a model version: a group of training interactions whose preferences differ from the others' (InvRL's inferred environments, or time windows)." })
export class Environment {
  @Field(() => Int, { description: 'Its index, 0 to E − 1.' })
  index!: number;

  @Field(() => String, { description: 'The model version it belongs to.' })
  modelVersion!: string;

  @Field(() => String, { description: 'How it was made: `inferred` (InvRL\'s environment inference) or `time` (time windows).' })
  source!: string;

  @Field(() => Int, { description: 'Training interactions assigned to it.' })
  size!: number;

  @Field(() => Int, { description: 'Users whose environment it is (the one holding most of their training interactions).' })
  users!: number;

  @Field(() => Float, { description: 'Its share of all training interactions.' })
  share!: number;

  @Field(() => Float, { nullable: true, description: 'Mean α_I (invariant weight) over its users\' test pairs; null for models without two branches.' })
  meanInvariantWeight!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean α_E = 1 − α_I over the same pairs; null for models without two branches.' })
  meanVariantWeight!: number | null;

  @Field(() => [Metric], { description: "Test metrics of its users (recall@20, ndcg@20, users)." })
  metrics!: Metric[];
}
