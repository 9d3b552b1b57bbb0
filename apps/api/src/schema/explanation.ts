// From the model's explanation of a pair to the GraphQL Explanation: branch scores, modality contributions per
// branch (merged by modality name), and a one-sentence summary of what drove the rating.
import type { BranchParts, Explanation as ModelExplanation } from '@eior/model';
import type { ServingModel } from '../serving/serving-model';
import { Branch, type BranchScore, type Explanation, type ModalityContribution } from './explanation.type';

export function toExplanation(model: ServingModel, user: number, item: number, e: ModelExplanation): Explanation {
  const modalities = new Map<string, ModalityContribution>();
  const add = (parts: BranchParts | null, key: 'invariantContribution' | 'variantContribution') => {
    for (const m of parts?.modalities ?? []) {
      const row = modalities.get(m.modality) ?? { modality: m.modality, invariantContribution: null, variantContribution: null, absent: model.isAbsent(item, m.modality) };
      row[key] = m.contribution;
      modalities.set(m.modality, row);
    }
  };
  add(e.invariant, 'invariantContribution');
  add(e.variant, 'variantContribution');
  const branches: BranchScore[] = [];
  if (e.invariant) branches.push(branchScore(Branch.INVARIANT, e.invariantWeight, e.invariant));
  if (e.variant) branches.push(branchScore(Branch.VARIANT, e.variantWeight, e.variant));
  return {
    invariantWeight: e.invariantWeight,
    variantWeight: e.variantWeight,
    invariantScore: e.invariant?.score ?? null,
    variantScore: e.variant?.score ?? null,
    modalities: [...modalities.values()],
    branches,
    environment: model.environmentOf(user),
    newItem: e.newItem === true,
    summary: summarise(e),
    pair: { model, user, item },
  };
}

function branchScore(branch: Branch, weight: number | null, parts: BranchParts): BranchScore {
  return { branch, weight, score: parts.score, idContribution: parts.id, biasContribution: parts.bias };
}

/**
 * "86% variant branch (environment-specific); its score 1.230 came mostly from visual (+0.800)", or for a new item
 * "new item (no interactions when the model was trained): scored by its stable content columns alone; its score
 * 0.412 came mostly from visual (+0.300)".
 */
export function summarise(e: ModelExplanation): string {
  const main = pickBranch(e);
  if (!main) return `rating ${e.rating.toFixed(3)} from a model without branch or feature parts`;
  const { name, parts, weight } = main;
  const named = [{ name: 'the item id', value: parts.id }, { name: 'the bias', value: parts.bias }, ...parts.modalities.map((m) => ({ name: m.modality, value: m.contribution }))];
  const top = named.reduce((a, b) => (Math.abs(b.value) > Math.abs(a.value) ? b : a));
  const drove = `its score ${parts.score.toFixed(3)} came mostly from ${top.name} (${top.value >= 0 ? '+' : ''}${top.value.toFixed(3)})`;
  if (e.newItem) return `new item (no interactions when the model was trained): scored by its stable content columns alone; ${drove}`;
  const lead = weight === null ? `${name} branch` : `${Math.round(weight * 100)}% ${name} branch`;
  const meaning = name === 'invariant' ? 'stable across environments' : 'environment-specific';
  return `${lead} (${meaning}); ${drove}`;
}

function pickBranch(e: ModelExplanation): { name: 'invariant' | 'variant'; parts: BranchParts; weight: number | null } | null {
  const inv = e.invariant ? { name: 'invariant' as const, parts: e.invariant, weight: e.invariantWeight } : null;
  const vari = e.variant ? { name: 'variant' as const, parts: e.variant, weight: e.variantWeight } : null;
  if (inv && vari) return (inv.weight ?? 0) >= (vari.weight ?? 0) ? inv : vari;
  return inv ?? vari;
}
