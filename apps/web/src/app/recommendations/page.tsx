// Recommendations of one user: the top N with their ratings and explanations, the full explanation of any
// chosen item (the `rating` query), and the dataset's model versions: any of them side by side with the current
// one, and the current-vs-previous overlap.
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ExplainPanel } from '@/components/explain-panel';
import { ModelOverlap, ModelVersionsList } from '@/components/model-comparison';
import { ApiErrorNotice, EmptyState } from '@/components/notices';
import { RecommendationCard } from '@/components/recommendation-card';
import { ExplainItemForm, UserSearchForm } from '@/components/user-search-form';
import { formatCount } from '@/lib/format';
import { queryApi } from '@/lib/graphql-client';
import { href, intParam, param, pickDataset, type SearchParams } from '@/lib/search-params';
import { DATASET_NAMES, MODEL_LIST } from '@/queries/overview';
import { RATING, RECOMMENDATIONS, USER, VERSION_TOP } from '@/queries/recommendations';
import { VersionComparison } from '@/components/version-comparison';

export const metadata: Metadata = { title: 'Recommendations' };

/** The API's page size limit (recommendations.first: 1 to 100). */
const MAX_FIRST = 100;
const DEFAULT_FIRST = 20;

export default async function RecommendationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const names = await queryApi(DATASET_NAMES, {});
  const intro = (
    <>
      <h1>Recommendations</h1>
      <p className="page-intro">
        Each rating is ŷ = α<sub>I</sub> s<sub>I</sub> + α<sub>E</sub> s<sub>E</sub>: attention between the invariant branch (features stable
        across environments, learned with IRM) and the variant branch (environment-specific, ERM).
      </p>
    </>
  );
  if (!names.ok) {
    return (
      <>
        {intro}
        <ApiErrorNotice failure={names.failure} what="the datasets" />
      </>
    );
  }
  const datasets = names.data.datasets.map((d) => ({ name: d.name, hasModel: d.currentModel !== null }));
  const dataset = pickDataset(param(params, 'dataset'), names.data.datasets);
  const userId = param(params, 'user');
  const itemId = param(params, 'item');
  const first = intParam(params, 'first', DEFAULT_FIRST, 1, MAX_FIRST);
  const compare = param(params, 'compare');
  const form = <UserSearchForm datasets={datasets} dataset={dataset} userId={userId} first={first} />;
  if (!dataset) return <>{intro}<EmptyState>No dataset in the graph yet: ingest one with <code>npx eior ingest</code>.</EmptyState></>;
  if (!userId) {
    return (
      <>
        {intro}
        {form}
        <EmptyState testId="no-user">Type a user id of dataset {dataset} (its token in the dataset&apos;s files) and press Show recommendations.</EmptyState>
      </>
    );
  }

  const [user, recs, rating, models, current, other] = await Promise.all([
    queryApi(USER, { dataset, userId }),
    queryApi(RECOMMENDATIONS, { dataset, userId, first }),
    itemId ? queryApi(RATING, { dataset, userId, itemId }) : Promise.resolve(undefined),
    queryApi(MODEL_LIST, { dataset }),
    compare ? queryApi(VERSION_TOP, { dataset, userId, first, modelVersion: null }) : Promise.resolve(undefined),
    compare ? queryApi(VERSION_TOP, { dataset, userId, first, modelVersion: compare }) : Promise.resolve(undefined),
  ]);
  const failure = !user.ok ? user.failure : !recs.ok ? recs.failure : undefined;
  if (failure) {
    return (
      <>
        {intro}
        {form}
        <ApiErrorNotice failure={failure} dataset={dataset} what={`the recommendations of user ${userId}`} />
      </>
    );
  }
  const u = user.ok ? user.data.user : undefined;
  const page = recs.ok ? recs.data.recommendations : undefined;
  const explainHref = (item: string) => `${href('/recommendations', { dataset, user: userId, first, item })}#explain`;
  return (
    <>
      {intro}
      {form}
      {u && page ? (
        <div className="card" data-testid="user-summary">
          <div className="stats">
            <div className="stat">
              <span className="value">{u.id}</span>
              <span className="label">user</span>
            </div>
            <div className="stat">
              <span className="value" data-testid="user-environment">{u.environment ?? '–'}</span>
              <span className="label">environment</span>
            </div>
            <div className="stat">
              <span className="value">{formatCount(u.interactions.train)}</span>
              <span className="label">training interactions</span>
            </div>
            <div className="stat">
              <span className="value">{formatCount(u.interactions.feedback)}</span>
              <span className="label">feedback</span>
            </div>
            <div className="stat">
              <span className="value">{page.modelVersion}</span>
              <span className="label">model ranking them</span>
            </div>
            <div className="stat">
              <span className="value">{formatCount(page.totalCount)}</span>
              <span className="label">items ranked</span>
            </div>
          </div>
        </div>
      ) : null}
      {rating ? rating.ok ? <ExplainPanel rating={rating.data.rating} userId={userId} environment={u?.environment ?? null} /> : <ApiErrorNotice failure={rating.failure} dataset={dataset} what={`the rating of item ${itemId}`} /> : null}
      <ExplainItemForm dataset={dataset} userId={userId} first={first} itemId={itemId} />
      <h2>
        Top {page?.edges.length ?? 0} for user {userId}
      </h2>
      {page && page.edges.length ? (
        <div className="grid-wide" data-testid="recommendations">
          {page.edges.map(({ node }) => (
            <RecommendationCard key={node.id} node={node} explainHref={explainHref(node.item.id)} />
          ))}
        </div>
      ) : (
        <EmptyState>No item left to recommend: the user has interacted with the whole catalogue.</EmptyState>
      )}
      <h2 id="versions">Model versions of {dataset}</h2>
      <p className="page-intro">
        The recommendations above come from the current model. Compare another version&apos;s top {first} for this user side by side, or see the
        current vs previous version&apos;s top-K overlap over many users from the drift report below.
      </p>
      {models.ok ? (
        <ModelVersionsList dataset={dataset} models={models.data.models} compareHref={(v) => `${href('/recommendations', { dataset, user: userId, first, compare: v })}#versions`} />
      ) : (
        <ApiErrorNotice failure={models.failure} dataset={dataset} what="the model versions" />
      )}
      {current && !current.ok ? <ApiErrorNotice failure={current.failure} dataset={dataset} what={`the top ${first} of the current version`} /> : null}
      {other && !other.ok ? <ApiErrorNotice failure={other.failure} dataset={dataset} what={`the top ${first} of version ${compare}`} /> : null}
      {current?.ok && other?.ok ? <VersionComparison left={current.data.recommendations} right={other.data.recommendations} /> : null}
      <Suspense fallback={<p className="loading">Computing the top-K overlap with the previous version…</p>}>
        <ModelOverlap dataset={dataset} />
      </Suspense>
    </>
  );
}
