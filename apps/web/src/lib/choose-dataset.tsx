// The dataset a page shows: the one in ?dataset=, else the first with a model; or, when there is none to show,
// the page to render instead (the API's failure, or how to ingest one), below the page's intro.
import type { ReactNode } from 'react';
import { DatasetTabs } from '@/components/dataset-tabs';
import { ApiErrorNotice, EmptyState } from '@/components/notices';
import { queryApi } from '@/lib/graphql-client';
import { param, pickDataset, type SearchParams } from '@/lib/search-params';
import { DATASET_NAMES } from '@/queries/overview';

export type DatasetChoice = { ok: true; dataset: string; tabs: ReactNode } | { ok: false; page: ReactNode };

export async function chooseDataset(params: SearchParams, path: string, intro: ReactNode): Promise<DatasetChoice> {
  const names = await queryApi(DATASET_NAMES, {});
  if (!names.ok) {
    return { ok: false, page: <>{intro}<ApiErrorNotice failure={names.failure} what="the datasets" /></> };
  }
  const dataset = pickDataset(param(params, 'dataset'), names.data.datasets);
  if (!dataset) return { ok: false, page: <>{intro}<EmptyState>No dataset in the graph yet: ingest one with <code>npx eior ingest</code>.</EmptyState></> };
  return { ok: true, dataset, tabs: <DatasetTabs path={path} datasets={names.data.datasets} active={dataset} /> };
}
