// What goes with EIOR's invariant weight α_I over a model's pairs (issue 13, docs/method.md#5-fusion): its
// percentiles and its rank correlations with the item's and the user's train degree and with the content share of
// the invariant branch's score, for the ablation's EIOR rows.
import type { EdgeList, EiorModel } from '@eior/model';

/** Spearman's rank correlation of two equally long lists (average ranks on ties). */
function spearman(a: number[], b: number[]): number {
  const ranks = (v: number[]) => {
    const order = [...v.keys()].sort((x, y) => v[x] - v[y]);
    const r = new Float64Array(v.length);
    for (let k = 0; k < order.length; ) {
      let end = k;
      while (end + 1 < order.length && v[order[end + 1]] === v[order[k]]) end++;
      for (let j = k; j <= end; j++) r[order[j]] = (k + end) / 2;
      k = end + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let k = 0; k < ra.length; k++) {
    num += (ra[k] - mean) * (rb[k] - mean);
    da += (ra[k] - mean) ** 2;
    db += (rb[k] - mean) ** 2;
  }
  return num / Math.sqrt(da * db || 1);
}

/**
 * What goes with α_I over (at most 3,000 evenly spaced) test pairs: its percentiles, and its rank correlation with
 * the item's and the user's train degree and with the share of the invariant branch's score that comes from
 * content; plus mean α_I on the pairs whose item is in the lowest and in the highest quarter of train degree.
 */
export function alphaProfile(model: EiorModel, edges: EdgeList, train: EdgeList, numUsers: number, numItems: number): Record<string, number> {
  const itemDegree = new Int32Array(numItems);
  const userDegree = new Int32Array(numUsers);
  for (let k = 0; k < train.items.length; k++) {
    itemDegree[train.items[k]]++;
    userDegree[train.users[k]]++;
  }
  const step = Math.max(1, Math.floor(edges.users.length / 3000));
  const alpha: number[] = [];
  const items: number[] = [];
  const users: number[] = [];
  const content: number[] = [];
  for (let k = 0; k < edges.users.length; k += step) {
    const e = model.explain(edges.users[k], edges.items[k]);
    alpha.push(e.invariantWeight ?? Number.NaN);
    items.push(itemDegree[edges.items[k]]);
    users.push(userDegree[edges.users[k]]);
    const inv = e.invariant;
    const c = inv ? inv.modalities.reduce((a, m) => a + Math.abs(m.contribution), 0) : 0;
    const total = inv ? c + Math.abs(inv.id) + Math.abs(inv.bias) : 1;
    content.push(c / (total || 1));
  }
  const sorted = [...alpha].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const byDegree = [...alpha.keys()].sort((x, y) => items[x] - items[y]);
  const quarter = Math.max(1, Math.floor(byDegree.length / 4));
  const meanOf = (ks: number[]) => ks.reduce((a, k) => a + alpha[k], 0) / Math.max(ks.length, 1);
  return {
    alphaP5: at(0.05),
    alphaP25: at(0.25),
    alphaP50: at(0.5),
    alphaP75: at(0.75),
    alphaP95: at(0.95),
    alphaItemDegreeRho: spearman(alpha, items),
    alphaUserDegreeRho: spearman(alpha, users),
    alphaContentShareRho: spearman(alpha, content),
    alphaRareItems: meanOf(byDegree.slice(0, quarter)),
    alphaPopularItems: meanOf(byDegree.slice(byDegree.length - quarter)),
  };
}
