// The lazily computed parts of an explanation: "because you interacted with" walks the item's users, so it is
// only computed when a query asks for it.
import 'reflect-metadata';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../context';
import { checkRange } from '../errors';
import { Explanation } from './explanation.type';
import { SimilarItem, SimilarityKind } from './item.type';

@Resolver(() => Explanation)
export class ExplanationResolver {
  @FieldResolver(() => [SimilarItem], { description: "The user's own training items most similar to this item (\"because you watched\"), most similar first." })
  becauseYouInteractedWith(
    @Root() explanation: Explanation,
    @Arg('first', () => Int, { defaultValue: 3, description: 'How many items: 0 to 20.' }) first: number,
    @Ctx() _ctx: ApiContext,
  ): SimilarItem[] {
    checkRange('first', first, 0, 20);
    const { model, user, item } = explanation.pair;
    return model.becauseYouWatched(user, item, first).map((s) => similar(model.dataset, s));
  }
}

export function similar(dataset: string, s: { item: number; similarity: number; kind: 'co-occurrence' | 'content' }): SimilarItem {
  return Object.assign(new SimilarItem(), { dataset, itemIdx: s.item, similarity: s.similarity, kind: s.kind === 'content' ? SimilarityKind.CONTENT : SimilarityKind.CO_OCCURRENCE });
}
