// tunings(dataset): the dataset's tunings, newest first, each with its trials (for the Models page).
import 'reflect-metadata';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { listTrials, listTunings, requireDataset } from '@eior/graph';
import type { ApiContext } from '../context';
import { checkText } from '../errors';
import { Tuning } from './tuning.type';

@Resolver(() => Tuning)
export class TuningResolver {
  @Query(() => [Tuning], { description: 'The tunings of a dataset (`eior tune`, or the main job\'s), newest first, with their trials.' })
  async tunings(@Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string, @Ctx() ctx: ApiContext): Promise<Tuning[]> {
    checkText('dataset', dataset, 128);
    await requireDataset(ctx.client, dataset);
    const out: Tuning[] = [];
    for (const t of await listTunings(ctx.client, dataset)) out.push({ ...t, trials: await listTrials(ctx.client, dataset, t.id) });
    return out;
  }
}
