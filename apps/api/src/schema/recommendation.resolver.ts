// recommendations(dataset, userId, first, after, excludeInteracted) and rating(dataset, userId, itemId): scored in
// memory by the dataset's current model; items and users come through the per-request DataLoaders.
import 'reflect-metadata';
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { checkRange } from '../errors';
import { checkItemId, checkUserId, checkVersionName } from '../identifiers';
import type { ServingModel } from '../serving/serving-model';
import { decodeCursor, encodeCursor, ratingId } from './cursor';
import { toExplanation } from './explanation';
import { Item } from './item.type';
import { RatingArgs, RecommendationsArgs } from './recommendations.args';
import { Rating, Recommendation, RecommendationConnection } from './recommendation.type';
import { User } from './user.type';
import { toItem, toUser } from './records';

export const MAX_PAGE = 100;

@Resolver(() => Rating)
export class RatingResolver {
  @Query(() => RecommendationConnection, { description: "A page of a user's recommendations from the dataset's current model, best first, each with its explanation." })
  async recommendations(@Args(() => RecommendationsArgs) args: RecommendationsArgs, @Ctx() ctx: ApiContext): Promise<RecommendationConnection> {
    checkUserId(args.userId);
    checkRange('first', args.first, 1, MAX_PAGE);
    const model = await modelFor(ctx, await ctx.dataset(args.dataset), args.modelVersion);
    const u = model.userIdx(args.userId);
    const offset = args.after ? decodeCursor(args.after, model.version) : 0;
    const page = model.recommend(u, offset, args.first, args.excludeInteracted);
    const now = Date.now();
    const edges = page.items.map((r) => {
      const node = Object.assign(new Recommendation(), rated(model, u, r.item, r.rating), { rank: r.rank });
      if (ctx.recordServed) ctx.served.record(model.dataset, { at: now, version: model.version, user: u, item: r.item, rank: r.rank, rating: r.rating, invariantWeight: node.explanation.invariantWeight });
      return { cursor: encodeCursor(model.version, r.rank), node };
    });
    return {
      edges,
      pageInfo: { hasNextPage: offset + edges.length < page.total, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      totalCount: page.total,
      modelVersion: model.version,
    };
  }

  @Query(() => Rating, { description: 'The current model\'s rating of any user-item pair, with its explanation.' })
  async rating(@Args(() => RatingArgs) args: RatingArgs, @Ctx() ctx: ApiContext): Promise<Rating> {
    checkUserId(args.userId);
    checkItemId(args.itemId);
    const model = await modelFor(ctx, await ctx.dataset(args.dataset), args.modelVersion);
    const u = model.userIdx(args.userId);
    const i = model.itemIdx(args.itemId);
    return Object.assign(new Rating(), rated(model, u, i, null));
  }

  @FieldResolver(() => Item, { description: 'The rated item.' })
  item(@Root() rating: Rating, @Ctx() ctx: ApiContext): Promise<Item> {
    return ctx.loaders.item.load({ dataset: rating.ref.model.dataset, idx: rating.ref.item }).then(toItem);
  }

  @FieldResolver(() => User, { description: 'The user it is rated for.' })
  user(@Root() rating: Rating, @Ctx() ctx: ApiContext): Promise<User> {
    const { model, user } = rating.ref;
    return ctx.loaders.user.load({ dataset: model.dataset, id: model.userId(user) }).then((r) => toUser(r, model));
  }
}

/** The (checked) dataset's current model, or the version asked for (loads of other versions are rate-limited per client). */
function modelFor(ctx: ApiContext, dataset: string, version: string | null | undefined): Promise<ServingModel> {
  if (version === null || version === undefined) return ctx.registry.get(dataset);
  return ctx.registry.version(dataset, checkVersionName(version), ctx.clientId);
}

function rated(model: ServingModel, u: number, i: number, ranked: number | null): Rating {
  const e = model.weigh(u, i);
  return {
    id: ratingId(model.dataset, model.version, model.userId(u), model.itemId(i)),
    rating: ranked ?? e.rating,
    interacted: model.trainItemsOf(u).includes(i),
    explanation: toExplanation(model, u, i, e),
    modelVersion: model.version,
    model: model.kind,
    ref: { model, user: u, item: i },
  };
}
