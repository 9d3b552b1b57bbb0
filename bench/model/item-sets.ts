// Sets of items in the model benches (items new in validation or in test): the edges whose item is in a set, and a
// model's scores restricted to one set, so that a set's items are ranked among themselves.
import type { EdgeList, RecModel } from '@eior/model';

/** The edges whose item's set (`setOf[item]`) passes `keep`, and their positions in `edges`. */
export function edgesOfItems(edges: EdgeList, setOf: Uint8Array, keep: (set: number) => boolean): { edges: EdgeList; kept: number[] } {
  const kept: number[] = [];
  for (let k = 0; k < edges.items.length; k++) if (keep(setOf[edges.items[k]])) kept.push(k);
  return { edges: { users: Int32Array.from(kept, (k) => edges.users[k]), items: Int32Array.from(kept, (k) => edges.items[k]) }, kept };
}

/** `score` with every item outside set `want` at −∞: a ranking among that set's items only. */
export function amongItems(score: RecModel['scoreAllItems'], setOf: Uint8Array, want: number): Pick<RecModel, 'scoreAllItems'> {
  return {
    scoreAllItems: (users: Int32Array) => {
      const scores = score(users);
      const numItems = setOf.length;
      for (let k = 0; k < scores.length; k++) if (setOf[k % numItems] !== want) scores[k] = Number.NEGATIVE_INFINITY;
      return scores;
    },
  };
}
