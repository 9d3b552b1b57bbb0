// Operations of the overview page: every dataset with its sizes and current model (metrics and training
// curve), and the model versions of one dataset.
import type { DatasetsQuery, DatasetsQueryVariables, DatasetNamesQuery, DatasetNamesQueryVariables, ModelListQuery, ModelListQueryVariables } from '@/generated/graphql';
import { typedQuery } from '@/lib/graphql-client';

export const DATASETS = typedQuery<DatasetsQuery, DatasetsQueryVariables>(/* GraphQL */ `
  query Datasets {
    datasets {
      name
      status
      users
      items
      ingestedAt
      events
      appends
      appendedAt
      eventsPerDay { days { day events } undated }
      interactions { train valid test feedback }
      modalities { name width }
      currentModel {
        version
        model
        createdAt
        backend
        bestEpoch
        serving
        trainedOn { state newEvents newAppends }
        testMetrics { name value }
        trainingCurve { epoch loss validation { name value } }
      }
    }
  }
`);

export const DATASET_NAMES = typedQuery<DatasetNamesQuery, DatasetNamesQueryVariables>(/* GraphQL */ `
  query DatasetNames {
    datasets {
      name
      currentModel { version }
    }
  }
`);

export const MODEL_LIST = typedQuery<ModelListQuery, ModelListQueryVariables>(/* GraphQL */ `
  query ModelList($dataset: String!) {
    models(dataset: $dataset) {
      version
      model
      createdAt
      current
      serving
    }
  }
`);
