// One recommended item: rank, rating ŷ, the α_I/α_E split, the summary sentence, modality contributions per
// branch and the user's own items it resembles, with a link that explains it in full.
import Link from 'next/link';
import type { RecommendationsQuery } from '@/generated/graphql';
import { formatScore } from '@/lib/format';
import { AttentionBar, SimilarItems } from './explanation-parts';
import { ModalityChart } from './explanation-charts';

export type RecommendationNode = RecommendationsQuery['recommendations']['edges'][number]['node'];

interface RecommendationCardProps {
  node: RecommendationNode;
  /** Link to this page with the item explained. */
  explainHref: string;
}

export function RecommendationCard({ node, explainHref }: RecommendationCardProps) {
  const e = node.explanation;
  return (
    <article className="card rec" data-testid="recommendation" data-item-id={node.item.id} data-rating={node.rating}>
      <div className="rec-rank">#{node.rank}</div>
      <div className="rec-body">
        <div className="spread">
          <h3>
            item <span data-testid="item-id">{node.item.id}</span>{' '}
            {e.newItem ? (
              <span className="badge" data-testid="new-item" title="No interactions when the model was trained: scored by its stable content columns alone">
                new item
              </span>
            ) : null}
          </h3>
          <span>
            ŷ = <strong className="num" data-testid="rating">{formatScore(node.rating)}</strong>{' '}
            <Link href={explainHref} scroll data-testid="explain-link">
              Explain →
            </Link>
          </span>
        </div>
        <AttentionBar invariantWeight={e.invariantWeight} variantWeight={e.variantWeight} model={node.model} />
        <p className="summary" data-testid="summary">
          {e.summary}
        </p>
        {e.modalities.length ? (
          <>
            <span className="muted small">Each modality&apos;s contribution to each branch score</span>
            <ModalityChart modalities={e.modalities} rating={node.rating} height={120} />
          </>
        ) : null}
        <SimilarItems items={e.becauseYouInteractedWith} />
      </div>
    </article>
  );
}
