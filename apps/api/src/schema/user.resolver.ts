// user(dataset, userId).
import 'reflect-metadata';
import { Args, ArgsType, Ctx, Field, Query, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { checkUserId } from '../identifiers';
import { toUser } from './records';
import { User } from './user.type';

@ArgsType()
export class UserArgs {
  @Field(() => String, { description: 'The dataset, by name.' })
  dataset!: string;

  @Field(() => String, { description: "The user, by id (its token in the dataset's files)." })
  userId!: string;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: "One user: interaction counts and the current model's environment for them." })
  async user(@Args(() => UserArgs) args: UserArgs, @Ctx() ctx: ApiContext): Promise<User> {
    checkUserId(args.userId);
    const dataset = await ctx.dataset(args.dataset);
    const record = await ctx.loaders.user.load({ dataset, id: args.userId });
    const model = await ctx.registry.get(dataset).catch(() => null); // a user exists without a trained model
    return toUser(record, model);
  }
}
