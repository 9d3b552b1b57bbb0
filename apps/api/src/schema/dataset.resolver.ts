// datasets, models(dataset), and a dataset's current model and events per day.
import 'reflect-metadata';
import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { eventsPerDay, listDatasetSummaries } from '@eior/graph';
import type { ApiContext } from '../context';
import { DatasetAccess } from '../security/dataset-access';
import { Dataset } from './dataset.type';
import { EventsPerDay } from './events-per-day.type';
import { ModelVersion } from './model-version.type';
import { modelVersions } from './model-versions';

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => [Dataset], { description: "The datasets in the graph, by name (with an API key scoped to datasets: only the key's)." })
  async datasets(@Ctx() ctx: ApiContext): Promise<Dataset[]> {
    return (await listDatasetSummaries(ctx.client)).filter((d) => DatasetAccess.visible(d.name, ctx.scope)).map((d) => ({ ...d, interactions: { ...d.interactions, feedback: d.feedback } }));
  }

  @Query(() => [ModelVersion], { description: 'The trained model versions of a dataset, newest first.' })
  async models(@Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string, @Ctx() ctx: ApiContext): Promise<ModelVersion[]> {
    return modelVersions(ctx.client, ctx.registry, await ctx.dataset(dataset));
  }

  @FieldResolver(() => EventsPerDay, { description: 'Its events per calendar day (UTC), oldest first: after an append, the new events on their days.' })
  async eventsPerDay(@Root() dataset: Dataset, @Ctx() ctx: ApiContext): Promise<EventsPerDay> {
    return ctx.eventsPerDay.get(dataset, (name) => eventsPerDay(ctx.client, name));
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'The version `eior train` made current; null before any training.' })
  async currentModel(@Root() dataset: Dataset, @Ctx() ctx: ApiContext): Promise<ModelVersion | null> {
    return (await modelVersions(ctx.client, ctx.registry, dataset.name)).find((m) => m.current) ?? null;
  }
}
