// Operation of the models page: every trained version of a dataset with its metrics and config.
import type { ModelsQuery, ModelsQueryVariables } from '@/generated/graphql';
import { typedQuery } from '@/lib/graphql-client';

export const MODELS = typedQuery<ModelsQuery, ModelsQueryVariables>(/* GraphQL */ `
  query Models($dataset: String!) {
    models(dataset: $dataset) {
      dataset
      version
      model
      createdAt
      current
      serving
      backend
      bestEpoch
      trainingSeconds
      config
      validMetrics { name value }
      testMetrics { name value }
      popularityValidMetrics { name value }
      liftOverPopularity
      clearsPopularity
    }
  }
`);
