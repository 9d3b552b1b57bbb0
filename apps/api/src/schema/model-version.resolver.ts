// useModelVersion(dataset, version, force): rollback over the API. Makes a stored version current through the same
// path as `eior models use` (the popularity floor, the data check), then swaps the serving model at once.
import 'reflect-metadata';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { ApiError, fromLibError } from '../errors';
import { checkVersionName } from '../identifiers';
import { makeVersionCurrent } from '../serving/current-version';
import { ModelVersion } from './model-version.type';
import { modelVersions } from './model-versions';

@Resolver()
export class ModelVersionResolver {
  @Mutation(() => ModelVersion, {
    description:
      "Makes a stored model version the one the dataset serves (rollback), and swaps the serving model to it. Refused (BAD_USER_INPUT) when its validation NDCG@20 is below popularity's unless force is true, and (CONFLICT) when it was trained on other data (a version trained before appends may serve: see trainedOn). Needs an API key.",
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
    checkVersionName(version, 'version');
    const name = await ctx.dataset(dataset);
    await makeVersionCurrent(ctx.client, ctx.registry.modelsDir, name, version, { force }).catch((err: unknown) => {
      const known = fromLibError(err);
      // the store's own messages name its folder: clients get the version, the log gets the rest
      if (known?.code === 'NOT_FOUND') throw new ApiError('NOT_FOUND', `dataset '${name}' has no model version ${JSON.stringify(version)} (see \`models(dataset)\`)`, { value: version });
      if (known) throw known;
      if ((err as { code?: string }).code === 'CORRUPT_ARTIFACT') {
        ctx.log.warn({ requestId: ctx.requestId, err, dataset: name, version }, 'model version not made current: damaged');
        throw new ApiError('CONFLICT', `${version} of '${name}' cannot serve: its files are damaged or incomplete (the server log says how, under request id ${ctx.requestId}); train a new version`);
      }
      throw err;
    });
    ctx.log.info({ requestId: ctx.requestId, apiKey: ctx.apiKey, dataset: name, version, force }, 'model version made current');
    await ctx.registry.refresh(); // a loaded dataset swaps now rather than at the next poll
    const made = (await modelVersions(ctx.client, ctx.registry, name)).find((m) => m.version === version);
    if (!made) throw new ApiError('NOT_FOUND', `${version} of '${name}' is current but has no recorded run in the graph`);
    return made;
  }
}
