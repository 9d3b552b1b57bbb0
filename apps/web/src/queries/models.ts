// Operation of the models page: every trained version of a dataset with its metrics, config and explanation health,
// and its tunings.
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
      liftInterval { low high level }
      clearsPopularity
      trainedOn { fingerprint events appends state newEvents newAppends summary }
      explanationHealth {
        seed
        sampleUsers
        samplePairs
        topK
        contentShare
        idShare
        biasShare
        alpha { mean std p5 p25 p50 p75 p95 }
        maskColumns
        maskKept
        maskStable
        newItems
        newItemPairs
        modalities { modality maxDeviation meanRankChange meanContribution }
        becauseYouWatched { removed users pairs meanDropNamed meanDropRandom ratio }
        flags { code message }
      }
    }
    tunings(dataset: $dataset) {
      id
      model
      status
      startedAt
      spentSeconds
      bestTrial
      bestScore
      bestSettings
      version
      trials { id seq bracket rung epochs settings status score bestEpoch seconds }
    }
  }
`);
