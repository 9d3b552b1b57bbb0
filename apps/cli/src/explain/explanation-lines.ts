// One recommended (or asked-about) item's explanation as lines for a person: the rating, the branch weights
// α_I/α_E, each branch score s_I/s_E split into ID, bias and modality parts, and "because you watched"; a line says
// when EIOR's new-item route scored the item.
import type { BranchParts, Explanation, SimilarItem } from '@eior/model';

export interface ItemExplanation extends Explanation {
  /** The item's id (its token in the dataset's files). */
  item: string;
  /** True when the item is one of the user's train items. */
  seen: boolean;
  becauseYouWatched: (Omit<SimilarItem, 'item'> & { item: string })[];
  /** Modalities the item was ingested without: their part is a zero block, shown as "absent", not as 0. */
  absentModalities: string[];
}

const f = (x: number) => x.toFixed(4);

export function explanationLines(rank: number, e: ItemExplanation): string[] {
  const lines = [`${rank}. item ${e.item}: rating ${f(e.rating)}${e.seen ? ' (one of the user\'s train items)' : ''}`];
  if (e.newItem) lines.push('   new item    no interactions when the model was trained: scored by its stable content columns alone');
  if (e.invariantWeight !== null && e.variantWeight !== null) {
    lines.push(`   weights     α_I ${f(e.invariantWeight)}  α_E ${f(e.variantWeight)}`);
  }
  if (e.invariant) lines.push(`   invariant   s_I ${branchLine(e.invariant, e.absentModalities)}`);
  if (e.variant) lines.push(`   variant     s_E ${branchLine(e.variant, e.absentModalities)}`);
  if (!e.invariant && !e.variant) lines.push('   (this model has no branches to split the rating into)');
  const because = e.becauseYouWatched.map((s) => `item ${s.item} (${s.kind} ${f(s.similarity)})`).join(', ');
  lines.push(`   because you watched ${because || '(no train items to compare with)'}`);
  return lines;
}

function branchLine(parts: BranchParts, absent: readonly string[]): string {
  const modalities = parts.modalities.map((m) => ` + ${m.modality} ${absent.includes(m.modality) ? 'absent' : f(m.contribution)}`).join('');
  return `${f(parts.score)} = id ${f(parts.id)} + bias ${f(parts.bias)}${modalities}`;
}
