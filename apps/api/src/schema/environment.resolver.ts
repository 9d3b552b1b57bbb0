// environments(dataset, modelVersion): the environments written by `eior train` for a version (default: the
// version being served).
import 'reflect-metadata';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { readEnvironments } from '@eior/graph';
import type { ApiContext } from '../context';
import { checkVersionName } from '../identifiers';
import { metricList } from './common.type';
import { Environment } from './environment.type';

@Resolver(() => Environment)
export class EnvironmentResolver {
  @Query(() => [Environment], { description: "A model version's environments: size, share, mean attention split, per-environment metrics. Empty for models without environments." })
  async environments(
    @Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string,
    @Arg('modelVersion', () => String, { nullable: true, description: 'The model version (default: the one being served).' }) modelVersion: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Environment[]> {
    if (modelVersion !== null && modelVersion !== undefined) checkVersionName(modelVersion);
    const name = await ctx.dataset(dataset);
    const version = modelVersion ?? (await ctx.registry.get(name)).version;
    return (await readEnvironments(ctx.client, name, version)).map((e) => ({
      index: e.idx,
      modelVersion: e.run,
      source: e.source,
      size: e.edges,
      users: e.users,
      share: e.share,
      meanInvariantWeight: e.meanInvariantWeight,
      meanVariantWeight: e.meanInvariantWeight === null ? null : 1 - e.meanInvariantWeight,
      metrics: metricList(e.metrics),
    }));
  }
}
