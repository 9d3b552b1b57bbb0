// drift(dataset): environment, time-window, served and model-version drift of the dataset's served model.
import 'reflect-metadata';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { checkText } from '../errors';
import { DriftComparisonKind, DriftReport } from './drift.type';

const KINDS: Record<string, DriftComparisonKind> = {
  environment: DriftComparisonKind.ENVIRONMENT,
  'time-window': DriftComparisonKind.TIME_WINDOW,
  served: DriftComparisonKind.SERVED,
  'model-version': DriftComparisonKind.MODEL_VERSION,
};

@Resolver(() => DriftReport)
export class DriftResolver {
  @Query(() => DriftReport, { description: "Drift of the dataset's served model: between environments, across time windows, of α_I over served recommendations, and against the previous model version." })
  async drift(@Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string, @Ctx() ctx: ApiContext): Promise<DriftReport> {
    checkText('dataset', dataset, 128);
    const report = await ctx.drift.report(await ctx.registry.get(dataset));
    return { ...report, comparisons: report.comparisons.map((c) => ({ ...c, kind: KINDS[c.kind] })) };
  }
}
