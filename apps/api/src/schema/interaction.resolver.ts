// recordInteractions(dataset, interactions): feedback written to the graph idempotently (an id per interaction),
// all or nothing; it feeds the drift report and the next training. Needs an API key.
import 'reflect-metadata';
import { Arg, Ctx, Field, Float, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { recordFeedback } from '@eior/graph';
import type { ApiContext } from '../context';
import { ApiError, badInput, checkText } from '../errors';
import { checkItemId, checkUserId } from '../identifiers';

export const MAX_INTERACTIONS_PER_CALL = 1_000;

@InputType({ description: 'One interaction of a user with an item, as the product observed it.' })
export class InteractionInput {
  @Field(() => ID, { description: "The caller's id of the interaction; sending the same id again changes nothing." })
  id!: string;

  @Field(() => String, { description: 'The user, by id.' })
  userId!: string;

  @Field(() => String, { description: 'The item, by id.' })
  itemId!: string;

  @Field(() => Date, { description: 'When it happened (ISO 8601, e.g. 2026-11-27T21:00:00Z).' })
  occurredAt!: Date;

  @Field(() => Float, { nullable: true, description: 'An explicit rating, when the interaction has one.' })
  rating?: number | null;

  @Field(() => ID, { nullable: true, description: 'The id of the served recommendation (Rating.id) the interaction answers, when it answers one.' })
  recommendationId?: string | null;
}

@ObjectType({ description: 'What recordInteractions wrote.' })
export class RecordInteractionsResult {
  @Field(() => Int, { description: 'Interactions written by this call.' })
  recorded!: number;

  @Field(() => Int, { description: 'Interactions already stored with the same content (a re-send): left as they were.' })
  unchanged!: number;
}

@Resolver()
export class InteractionResolver {
  @Mutation(() => RecordInteractionsResult, { description: 'Records interactions (feedback) in the graph, all or nothing, idempotently by id. Needs an API key.' })
  async recordInteractions(
    @Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string,
    @Arg('interactions', () => [InteractionInput], { description: `The interactions, 1 to ${MAX_INTERACTIONS_PER_CALL}.` }) interactions: InteractionInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<RecordInteractionsResult> {
    if (ctx.apiKey === null) {
      throw new ApiError('UNAUTHENTICATED', 'recordInteractions needs an API key: send `Authorization: Bearer <key>` (create one with `eior api-key create --name NAME`)');
    }
    const name = await ctx.dataset(dataset);
    if (interactions.length < 1 || interactions.length > MAX_INTERACTIONS_PER_CALL) {
      throw badInput(`interactions has ${interactions.length} entries: expected 1 to ${MAX_INTERACTIONS_PER_CALL}`);
    }
    const rows = interactions.map((x, n) => {
      const at = `interactions[${n}]`;
      checkText(`${at}.id`, x.id);
      checkUserId(x.userId, `${at}.userId`);
      checkItemId(x.itemId, `${at}.itemId`);
      if (x.recommendationId !== null && x.recommendationId !== undefined) checkText(`${at}.recommendationId`, x.recommendationId, 1024);
      if (x.rating !== null && x.rating !== undefined && !Number.isFinite(x.rating)) throw badInput(`${at}.rating = ${x.rating}: expected a finite number`);
      const seconds = x.occurredAt.getTime() / 1000;
      if (!Number.isFinite(seconds) || seconds < 0 || x.occurredAt.getTime() > Date.now() + 86_400_000) {
        throw badInput(`${at}.occurredAt = ${String(x.occurredAt)} is not valid: expected a time from 1970 up to now`);
      }
      return { id: x.id, userId: x.userId, itemId: x.itemId, timestamp: Math.floor(seconds), rating: x.rating ?? null, recommendationId: x.recommendationId ?? null };
    });
    const result = await recordFeedback(ctx.client, name, rows);
    ctx.itemCache.forgetFeedback(name);
    return result;
  }
}
