// drift(dataset): environment, time-window, served and model-version drift of the dataset's served model, from
// the last report built in the background (drift-report/drift-service.ts): a request never computes one.
import 'reflect-metadata';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { ApiContext } from '../context';
import { DriftComparisonKind, DriftReport, DriftReportState } from './drift.type';

const KINDS: Record<string, DriftComparisonKind> = {
  environment: DriftComparisonKind.ENVIRONMENT,
  'time-window': DriftComparisonKind.TIME_WINDOW,
  served: DriftComparisonKind.SERVED,
  'model-version': DriftComparisonKind.MODEL_VERSION,
};

@Resolver(() => DriftReport)
export class DriftResolver {
  @Query(() => DriftReport, {
    description: "Drift of the dataset's served model: between environments, across time windows, of α_I over served recommendations, and against the previous model version. The last report built in the background, with its age and state.",
  })
  async drift(@Arg('dataset', () => String, { description: 'The dataset, by name.' }) dataset: string, @Ctx() ctx: ApiContext): Promise<DriftReport> {
    const model = await ctx.registry.get(await ctx.dataset(dataset));
    const { report } = ctx.drift.state(model.dataset);
    // no build is started here: one starts when a version begins serving, and on the schedule
    if (!report) {
      return { dataset: model.dataset, modelVersion: model.version, state: DriftReportState.NOT_READY, computedAt: null, ageSeconds: null, hasTimestamps: false, comparisons: [] };
    }
    const state = report.modelVersion === model.version ? DriftReportState.READY : DriftReportState.STALE;
    const ageSeconds = Math.max(0, (Date.now() - Date.parse(report.computedAt)) / 1000);
    return { ...report, state, ageSeconds, comparisons: report.comparisons.map((c) => ({ ...c, kind: KINDS[c.kind] })) };
  }
}
