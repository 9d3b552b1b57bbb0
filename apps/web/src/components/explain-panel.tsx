// The full explanation of one item's rating for a user (the `rating` query): ŷ = α_I s_I + α_E s_E written
// out with its numbers, the attention split, each branch score split into parts, and similar items of the user.
import type { RatingQuery } from '@/generated/graphql';
import { formatScore } from '@/lib/format';
import { AttentionBar, SimilarItems } from './explanation-parts';
import { BranchPartsChart, TinyPartsNote } from './explanation-charts';

type RatingNode = RatingQuery['rating'];

/** The rating's formula with the values put in, e.g. "ŷ = 0.0204 × 1.9065 + 0.9796 × 1.7855 = 1.7879". */
export function ratingFormula(r: RatingNode): string {
  const e = r.explanation;
  if (e.invariantWeight === null || e.variantWeight === null || e.invariantScore === null || e.variantScore === null) {
    return `ŷ = s = ${formatScore(r.rating)} (one branch, no attention)`;
  }
  return `ŷ = α_I s_I + α_E s_E = ${formatScore(e.invariantWeight)} × ${formatScore(e.invariantScore)} + ${formatScore(e.variantWeight)} × ${formatScore(e.variantScore)} = ${formatScore(r.rating)}`;
}

interface ExplainPanelProps {
  rating: RatingNode;
  userId: string;
  /** The user's environment from the user query (the explanation repeats it). */
  environment: number | null;
}

export function ExplainPanel({ rating, userId, environment }: ExplainPanelProps) {
  const e = rating.explanation;
  const interactions = rating.item.interactions;
  return (
    <section className="card explain" id="explain" data-testid="explain-panel" data-item-id={rating.item.id} data-rating={rating.rating}>
      <div className="spread">
        <h2 style={{ margin: 0 }}>
          Why item {rating.item.id} for user {userId}
        </h2>
        <span className="muted small">
          model {rating.modelVersion} ({rating.model}){environment !== null ? ` · user in environment ${environment}` : ''}
        </span>
      </div>
      <div className="stats">
        <div className="stat">
          <span className="value" data-testid="explain-rating">
            {formatScore(rating.rating)}
          </span>
          <span className="label">rating ŷ</span>
        </div>
        <div className="stat">
          <span className="value">{formatScore(e.invariantScore)}</span>
          <span className="label">s_I invariant score</span>
        </div>
        <div className="stat">
          <span className="value">{formatScore(e.variantScore)}</span>
          <span className="label">s_E variant score</span>
        </div>
        <div className="stat">
          <span className="value">{rating.interacted ? 'yes' : 'no'}</span>
          <span className="label">already interacted</span>
        </div>
        <div className="stat">
          <span className="value">{interactions.train + interactions.valid + interactions.test + interactions.feedback}</span>
          <span className="label">item interactions</span>
        </div>
      </div>
      <p className="formula" data-testid="formula">
        {ratingFormula(rating)}
      </p>
      <AttentionBar invariantWeight={e.invariantWeight} variantWeight={e.variantWeight} model={rating.model} />
      <p className="summary">{e.summary}</p>
      {e.branches.length ? (
        <>
          <h3>Each branch score = item id part + bias + one part per modality</h3>
          <TinyPartsNote modalities={e.modalities} rating={rating.rating} />
          <BranchPartsChart branches={e.branches} modalities={e.modalities} />
          <table>
            <thead>
              <tr>
                <th>branch</th>
                <th className="num">weight α</th>
                <th className="num">score s</th>
                <th className="num">id part</th>
                <th className="num">bias part</th>
                {e.modalities.map((m) => (
                  <th key={m.modality} className="num">
                    {m.modality}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {e.branches.map((b) => (
                <tr key={b.branch}>
                  <td>{b.branch.toLowerCase()}</td>
                  <td className="num">{formatScore(b.weight)}</td>
                  <td className="num">{formatScore(b.score)}</td>
                  <td className="num">{formatScore(b.idContribution)}</td>
                  <td className="num">{formatScore(b.biasContribution)}</td>
                  {e.modalities.map((m) => (
                    <td key={m.modality} className="num">
                      {formatScore(b.branch === 'INVARIANT' ? m.invariantContribution : m.variantContribution)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <SimilarItems items={e.becauseYouInteractedWith} />
    </section>
  );
}
