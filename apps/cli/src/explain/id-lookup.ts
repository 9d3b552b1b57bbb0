// From the ids a person types (the tokens of the dataset's files) to the dense indexes a model uses.
import { CliError } from '../errors';

/** The index of `id` among `ids`, or a CliError naming the id and how many of its kind the dataset has. */
export function indexOfId(kind: 'user' | 'item', id: string, ids: readonly string[], dataset: string): number {
  const index = ids.indexOf(id);
  if (index >= 0) return index;
  const examples = ids.slice(0, 3).map((x) => JSON.stringify(x)).join(', ');
  throw new CliError(`${kind} ${JSON.stringify(id)} is not in dataset '${dataset}': it has ${ids.length} ${kind}s${ids.length ? ` (ids such as ${examples})` : ''}`);
}

/** The user's best `n` items by score among those not in the user's train items, best first. */
export function topUnseenItems(scores: Float32Array, seen: ReadonlySet<number>, n: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!seen.has(i) && Number.isFinite(scores[i])) order.push(i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, n);
}
