// item(dataset, itemId), an item's similar items, and the item of a SimilarItem (through the DataLoader).
import 'reflect-metadata';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { checkRange } from '../errors';
import { checkItemId } from '../identifiers';
import { similar } from './explanation.resolver';
import { Item, SimilarItem } from './item.type';
import { toItem } from './records';

@ArgsType()
export class ItemArgs {
  @Field(() => String, { description: 'The dataset, by name.' })
  dataset!: string;

  @Field(() => String, { description: "The item, by id (its token in the dataset's files)." })
  itemId!: string;
}

@Resolver(() => Item)
export class ItemResolver {
  @Query(() => Item, { description: 'One item: interaction counts, feature summaries, similar items.' })
  async item(@Args(() => ItemArgs) args: ItemArgs, @Ctx() ctx: ApiContext): Promise<Item> {
    checkItemId(args.itemId);
    const dataset = await ctx.dataset(args.dataset);
    const model = await ctx.registry.get(dataset);
    return toItem(await ctx.loaders.item.load({ dataset, idx: model.itemIdx(args.itemId) }));
  }

  @FieldResolver(() => [SimilarItem], { description: "The catalogue's items most similar to this one, by shared users (ω_ij), then by content for cold items." })
  async similarItems(
    @Root() item: Item,
    @Arg('first', () => Int, { defaultValue: 10, description: 'How many items: 1 to 50.' }) first: number,
    @Ctx() ctx: ApiContext,
  ): Promise<SimilarItem[]> {
    checkRange('first', first, 1, 50);
    const model = await ctx.registry.get(item.dataset);
    return model.similarItems(item.index, first).map((s) => similar(item.dataset, s));
  }
}

@Resolver(() => SimilarItem)
export class SimilarItemResolver {
  @FieldResolver(() => Item, { description: 'The similar item.' })
  async item(@Root() s: SimilarItem, @Ctx() ctx: ApiContext): Promise<Item> {
    return toItem(await ctx.loaders.item.load({ dataset: s.dataset, idx: s.itemIdx }));
  }
}
