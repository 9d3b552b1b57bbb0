// Model versions of a dataset: kind, created, backend, metrics, lift over popularity, config, which one is current and
// serving; and the dataset's tunings with their trials.
import type { Metadata } from 'next';
import { ModelCard } from '@/components/model-card';
import { ModelsChart } from '@/components/models-chart';
import { TuningCard } from '@/components/tuning-card';
import { ApiErrorNotice, EmptyState } from '@/components/notices';
import { metric } from '@/lib/format';
import { queryApi } from '@/lib/graphql-client';
import { chooseDataset } from '@/lib/choose-dataset';
import type { SearchParams } from '@/lib/search-params';
import { MODELS } from '@/queries/models';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const intro = (
    <>
      <h1>Models</h1>
      <p className="page-intro">
        Every trained version, newest first. <em>Current</em> is the version <code>eior train</code> made current; <em>serving</em> is the one this
        API process has loaded and answers with. <em>Lift over popularity</em> compares each version with a most-watched list on validation;
        a version below it is not made current unless forced. Tunings and their trials follow the versions.
      </p>
    </>
  );
  const choice = await chooseDataset(params, '/models', intro);
  if (!choice.ok) return choice.page;
  const { dataset, tabs } = choice;
  const res = await queryApi(MODELS, { dataset });
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
      {res.data.tunings.length ? (
        <div className="stack" style={{ marginTop: 14 }}>
          {res.data.tunings.map((t) => (
            <TuningCard key={t.id} tuning={t} />
          ))}
        </div>
      ) : (
        <p className="small muted" data-testid="no-tunings">
          No tuning on this dataset yet: <code>npx eior tune --dataset {dataset} --model eior</code> searches better settings on validation.
        </p>
      )}
    </>
  );
}
