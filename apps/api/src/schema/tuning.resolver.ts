// tunings(dataset): the dataset's tunings, newest first, each with its trials (for the Models page).
import 'reflect-metadata';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { listTrials, listTunings } from '@eior/graph';
import type { ApiContext } from '../context';
import { Tuning } from './tuning.type';

@Resolver(() => Tuning)
export class TuningResolver {
  @Query(() => [Tuning], { description: 'The tunings of a dataset (`eior tune`, or the main job\'s), newest first, with their trials.' })
  async tunings(@Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string, @Ctx() ctx: ApiContext): Promise<Tuning[]> {
    const name = await ctx.dataset(dataset);
    const out: Tuning[] = [];
    for (const t of await listTunings(ctx.client, name)) out.push({ ...t, trials: await listTrials(ctx.client, name, t.id) });
    return out;
  }
}
