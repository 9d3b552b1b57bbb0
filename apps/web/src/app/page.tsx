// Overview: every dataset with its size, current model (test metrics, training curve) and model versions.
import { DatasetCard } from '@/components/dataset-card';
import { ApiErrorNotice, EmptyState } from '@/components/notices';
import { queryApi } from '@/lib/graphql-client';
import { DATASETS, MODEL_LIST } from '@/queries/overview';

export default async function OverviewPage() {
  const res = await queryApi(DATASETS, {});
  const intro = (
    <>
      <h1>Overview</h1>
      <p className="page-intro">Datasets in the graph, the model each one serves, how well it ranks held-out interactions, and how it trained.</p>
    </>
  );
  if (!res.ok) {
    return (
      <>
        {intro}
        <ApiErrorNotice failure={res.failure} what="the datasets" />
      </>
    );
  }
  const datasets = res.data.datasets;
  if (!datasets.length) {
    return (
      <>
        {intro}
        <EmptyState>No dataset in the graph yet: ingest one with <code>npx eior ingest</code>.</EmptyState>
      </>
    );
  }
  const models = await Promise.all(datasets.map((d) => queryApi(MODEL_LIST, { dataset: d.name })));
  return (
    <>
      {intro}
      <div className="grid-wide">
        {datasets.map((d, k) => {
          const m = models[k];
          return <DatasetCard key={d.name} dataset={d} models={m.ok ? m.data.models : undefined} />;
        })}
      </div>
    </>
  );
}
