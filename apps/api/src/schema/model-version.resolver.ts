// useModelVersion(dataset, version, force): rollback over the API. Makes a stored version current through the same
// path as `eior models use` (the popularity floor, the data check), then swaps the serving model at once.
import 'reflect-metadata';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { ApiError, badInput, checkText } from '../errors';
import { makeVersionCurrent } from '../serving/current-version';
import { ModelVersion } from './model-version.type';
import { modelVersions } from './model-versions';

const VERSION = /^v\d{4,}$/;

@Resolver()
export class ModelVersionResolver {
  @Mutation(() => ModelVersion, {
    description:
      "Makes a stored model version the one the dataset serves (rollback), and swaps the serving model to it. Refused (BAD_USER_INPUT) when its validation NDCG@20 is below popularity's unless force is true, and (CONFLICT) when it was trained on other data. Needs an API key.",
  })
  async useModelVersion(
    @Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string,
    @Arg('version', () => String, { description: 'The version to serve, e.g. v0003 (see `models`).' }) version: string,
    @Arg('force', () => Boolean, { defaultValue: false, description: 'Serve it even when it is below popularity on validation.' }) force: boolean,
    @Ctx() ctx: ApiContext,
  ): Promise<ModelVersion> {
    if (ctx.apiKey === null) {
      throw new ApiError('UNAUTHENTICATED', 'useModelVersion needs an API key: send `Authorization: Bearer <key>` (create one with `eior api-key create --name NAME`)');
    }
    checkText('dataset', dataset, 128);
    if (!VERSION.test(version)) throw badInput(`version ${JSON.stringify(version)} is not valid: expected v followed by 4 or more digits, e.g. v0003`);
    await makeVersionCurrent(ctx.client, ctx.registry.modelsDir, dataset, version, { force });
    ctx.log.info({ requestId: ctx.requestId, apiKey: ctx.apiKey, dataset, version, force }, 'model version made current');
    await ctx.registry.refresh(); // a loaded dataset swaps now rather than at the next poll
    const made = (await modelVersions(ctx.client, ctx.registry, dataset)).find((m) => m.version === version);
    if (!made) throw new ApiError('NOT_FOUND', `${version} of '${dataset}' is current but has no recorded run in the graph`);
    return made;
  }
}
