// Environment drift of a dataset's served model: its environments (size, share, attention split, recall@20)
// and the drift report (environments, time windows, served α_I, model versions).
import type { Metadata } from 'next';
import { DriftReportView } from '@/components/drift-report';
import { EnvironmentCharts } from '@/components/environment-charts';
import { EnvironmentTable } from '@/components/environment-table';
import { ApiErrorNotice, EmptyState } from '@/components/notices';
import { metric } from '@/lib/format';
import { queryApi } from '@/lib/graphql-client';
import { chooseDataset } from '@/lib/choose-dataset';
import type { SearchParams } from '@/lib/search-params';
import { DRIFT, ENVIRONMENTS } from '@/queries/drift';

export const metadata: Metadata = { title: 'Environment drift' };

export default async function DriftPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const intro = (
    <>
      <h1>Environment drift</h1>
      <p className="page-intro">
        Whether the data the model learned from still looks like the data it serves: environments against each other, training time against
        later time, training α<sub>I</sub> against served α<sub>I</sub>, and this version&apos;s top-K against the previous one&apos;s. Red bars
        are past their threshold (Evidently&apos;s defaults).
      </p>
    </>
  );
  const choice = await chooseDataset(params, '/drift', intro);
  if (!choice.ok) return choice.page;
  const { dataset, tabs } = choice;
  const [environments, drift] = await Promise.all([queryApi(ENVIRONMENTS, { dataset }), queryApi(DRIFT, { dataset })]);
  // Without a model both fail the same way: say it once.
  if (!environments.ok && !drift.ok) {
    return (
      <>
        {intro}
        {tabs}
        <ApiErrorNotice failure={drift.failure} dataset={dataset} what="the drift report" />
      </>
    );
  }
  return (
    <>
      {intro}
      {tabs}
      <h2>Environments of the served model</h2>
      {!environments.ok ? (
        <ApiErrorNotice failure={environments.failure} dataset={dataset} what="the environments" />
      ) : environments.data.environments.length ? (
        <div className="stack">
          <EnvironmentCharts
            environments={environments.data.environments.map((e) => ({
              index: e.index,
              size: e.size,
              users: e.users,
              share: e.share,
              meanInvariantWeight: e.meanInvariantWeight,
              meanVariantWeight: e.meanVariantWeight,
              recall: metric(e.metrics, 'recall@20') ?? null,
            }))}
          />
          <EnvironmentTable environments={environments.data.environments} />
        </div>
      ) : (
        <EmptyState testId="no-environments">The served model of {dataset} has no environments (only models with an invariance stage, such as eior, have them).</EmptyState>
      )}
      {drift.ok ? <DriftReportView report={drift.data.drift} /> : <ApiErrorNotice failure={drift.failure} dataset={dataset} what="the drift report" />}
    </>
  );
}
