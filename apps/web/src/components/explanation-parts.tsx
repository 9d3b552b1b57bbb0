// The plain-HTML parts of an explanation: the attention split α_I/α_E as one stacked bar (twenty of them cost no
// script) and "because you interacted with", the user's own items most similar to the recommended one.
import { formatPercent, formatScore } from '@/lib/format';

interface AttentionBarProps {
  invariantWeight: number | null;
  variantWeight: number | null;
  /** The model kind, named when it has no two branches to weigh. */
  model?: string;
}

export function AttentionBar({ invariantWeight, variantWeight, model }: AttentionBarProps) {
  if (invariantWeight === null || variantWeight === null) {
    return (
      <p className="muted small" data-testid="one-branch">
        One-branch model{model ? ` (${model})` : ''}: no α<sub>I</sub>/α<sub>E</sub> split.
      </p>
    );
  }
  const i = Math.max(0, Math.min(1, invariantWeight));
  const e = Math.max(0, Math.min(1, variantWeight));
  const label = `α_I ${formatPercent(i)} invariant, α_E ${formatPercent(e)} variant`;
  return (
    <div className="alpha" data-testid="alpha" data-alpha-i={invariantWeight} data-alpha-e={variantWeight}>
      <div className="alpha-bar" role="img" aria-label={label} title={label}>
        <span className="alpha-i" style={{ width: `${i * 100}%` }} />
        <span className="alpha-e" style={{ width: `${e * 100}%` }} />
      </div>
      <div className="alpha-legend">
        <span className="i">
          α<sub>I</sub> {formatScore(invariantWeight)} invariant
        </span>
        <span className="e">
          variant α<sub>E</sub> {formatScore(variantWeight)}
        </span>
      </div>
    </div>
  );
}

interface SimilarItem {
  similarity: number;
  kind: 'CO_OCCURRENCE' | 'CONTENT';
  item: { id: string };
}

/** The user's own training items most similar to an item, and how the similarity was measured (shared users ω_ij, or content cosine for cold items). */
export function SimilarItems({ items }: { items: SimilarItem[] }) {
  if (!items.length) return <p className="muted small">No similar item among the user&apos;s own interactions.</p>;
  return (
    <div className="small" data-testid="because">
      <span className="muted">Because you interacted with </span>
      <ul className="chips" style={{ display: 'inline-flex' }}>
        {items.map((s) => (
          <li key={s.item.id} className="chip" title={s.kind === 'CO_OCCURRENCE' ? 'ω_ij from shared users' : 'cosine of feature vectors'}>
            item <strong>{s.item.id}</strong> {s.kind === 'CO_OCCURRENCE' ? 'ω' : 'cos'} {s.similarity.toPrecision(2)}
          </li>
        ))}
      </ul>
    </div>
  );
}
