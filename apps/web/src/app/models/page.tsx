// Model versions of a dataset: kind, created, backend, metrics, config, and which one is current and serving.
import type { Metadata } from 'next';
import { DatasetTabs } from '@/components/dataset-tabs';
import { ModelCard } from '@/components/model-card';
import { ModelsChart } from '@/components/models-chart';
import { ApiErrorNotice, EmptyState } from '@/components/notices';
import { metric } from '@/lib/format';
import { queryApi } from '@/lib/graphql-client';
import { param, pickDataset, type SearchParams } from '@/lib/search-params';
import { MODELS } from '@/queries/models';
import { DATASET_NAMES } from '@/queries/overview';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const intro = (
    <>
      <h1>Models</h1>
      <p className="page-intro">
        Every trained version, newest first. <em>Current</em> is the version <code>eior train</code> made current; <em>serving</em> is the one this
        API process has loaded and answers with.
      </p>
    </>
  );
  const names = await queryApi(DATASET_NAMES, {});
  if (!names.ok) {
    return (
      <>
        {intro}
        <ApiErrorNotice failure={names.failure} what="the datasets" />
      </>
    );
  }
  const dataset = pickDataset(param(params, 'dataset'), names.data.datasets);
  if (!dataset) return <>{intro}<EmptyState>No dataset in the graph yet: ingest one with <code>npx eior ingest</code>.</EmptyState></>;
  const res = await queryApi(MODELS, { dataset });
  const tabs = <DatasetTabs path="/models" datasets={names.data.datasets} active={dataset} />;
  if (!res.ok) {
    return (
      <>
        {intro}
        {tabs}
        <ApiErrorNotice failure={res.failure} dataset={dataset} what="the model versions" />
      </>
    );
  }
  const models = res.data.models;
  if (!models.length) {
    return (
      <>
        {intro}
        {tabs}
        <EmptyState testId="no-models">
          No trained model for dataset {dataset}: run <code>npx eior train --dataset {dataset}</code>.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {intro}
      {tabs}
      <ModelsChart
        versions={models.map((m) => ({
          version: m.version,
          model: m.model,
          current: m.current,
          recall: metric(m.testMetrics, 'recall@20') ?? null,
          ndcg: metric(m.testMetrics, 'ndcg@20') ?? null,
        }))}
      />
      <div className="stack" style={{ marginTop: 14 }}>
        {models.map((m) => (
          <ModelCard key={m.version} model={m} />
        ))}
      </div>
    </>
  );
}
