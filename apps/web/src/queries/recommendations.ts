// Operations of the recommendations page: a user, their top-N with explanations, one item's rating with
// its explanation, the top-K overlap with the previous model version from the drift report, and the top-N of
// any version for a side-by-side comparison.
import type { VersionTopQuery, VersionTopQueryVariables, UserQuery, UserQueryVariables, RecommendationsQuery, RecommendationsQueryVariables, RatingQuery, RatingQueryVariables, ModelOverlapQuery, ModelOverlapQueryVariables } from '@/generated/graphql';
import { typedQuery } from '@/lib/graphql-client';

export const USER = typedQuery<UserQuery, UserQueryVariables>(/* GraphQL */ `
  query User($dataset: String!, $userId: String!) {
    user(dataset: $dataset, userId: $userId) {
      id
      index
      environment
      interactions { train valid test feedback }
    }
  }
`);

export const EXPLANATION_FIELDS = /* GraphQL */ `
  fragment ExplanationFields on Explanation {
    invariantWeight
    variantWeight
    invariantScore
    variantScore
    environment
    newItem
    summary
    modalities { modality invariantContribution variantContribution }
    branches { branch weight score idContribution biasContribution }
  }
`;

export const RECOMMENDATIONS = typedQuery<RecommendationsQuery, RecommendationsQueryVariables>(/* GraphQL */ `
  query Recommendations($dataset: String!, $userId: String!, $first: Int!) {
    recommendations(dataset: $dataset, userId: $userId, first: $first) {
      totalCount
      modelVersion
      edges {
        node {
          id
          rank
          rating
          model
          item { id }
          explanation {
            ...ExplanationFields
            becauseYouInteractedWith(first: 3) { similarity kind item { id } }
          }
        }
      }
    }
  }
`, EXPLANATION_FIELDS);

export const RATING = typedQuery<RatingQuery, RatingQueryVariables>(/* GraphQL */ `
  query Rating($dataset: String!, $userId: String!, $itemId: String!) {
    rating(dataset: $dataset, userId: $userId, itemId: $itemId) {
      id
      rating
      interacted
      model
      modelVersion
      item { id interactions { train valid test feedback } }
      explanation {
        ...ExplanationFields
        becauseYouInteractedWith(first: 5) { similarity kind item { id } }
      }
    }
  }
`, EXPLANATION_FIELDS);

export const MODEL_OVERLAP = typedQuery<ModelOverlapQuery, ModelOverlapQueryVariables>(/* GraphQL */ `
  query ModelOverlap($dataset: String!) {
    drift(dataset: $dataset) {
      modelVersion
      state
      computedAt
      comparisons {
        kind
        name
        reference
        current
        currentSize
        values { subject detail method value threshold drifted }
      }
    }
  }
`);

export const VERSION_TOP = typedQuery<VersionTopQuery, VersionTopQueryVariables>(/* GraphQL */ `
  query VersionTop($dataset: String!, $userId: String!, $first: Int!, $modelVersion: String) {
    recommendations(dataset: $dataset, userId: $userId, first: $first, modelVersion: $modelVersion) {
      modelVersion
      edges {
        node {
          rank
          rating
          model
          item { id }
          explanation { invariantWeight }
        }
      }
    }
  }
`);
