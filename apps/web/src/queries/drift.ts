// Operations of the environment drift page: a model version's environments and the served model's drift
// report (per-column tests are left out: the page shows the summaries).
import type { EnvironmentsQuery, EnvironmentsQueryVariables, DriftQuery, DriftQueryVariables } from '@/generated/graphql';
import { typedQuery } from '@/lib/graphql-client';

export const ENVIRONMENTS = typedQuery<EnvironmentsQuery, EnvironmentsQueryVariables>(/* GraphQL */ `
  query Environments($dataset: String!) {
    environments(dataset: $dataset) {
      index
      modelVersion
      source
      size
      users
      share
      meanInvariantWeight
      meanVariantWeight
      metrics { name value }
    }
  }
`);

export const DRIFT = typedQuery<DriftQuery, DriftQueryVariables>(/* GraphQL */ `
  query Drift($dataset: String!) {
    drift(dataset: $dataset) {
      dataset
      modelVersion
      state
      computedAt
      ageSeconds
      hasTimestamps
      comparisons {
        kind
        name
        reference
        current
        referenceSize
        currentSize
        driftedShare
        drifted
        values { subject modality detail method value threshold drifted psi psiBand }
      }
    }
  }
`);
