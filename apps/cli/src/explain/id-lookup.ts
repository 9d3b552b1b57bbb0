// From the ids a person types (the tokens of the dataset's files) to the dense indexes a model uses, with an error
// that names the id and the dataset's size.
import { CliError } from '../errors';

/** The index of `id` among `ids`, or a CliError naming the id and how many of its kind the dataset has. */
export function indexOfId(kind: 'user' | 'item', id: string, ids: readonly string[], dataset: string): number {
  const index = ids.indexOf(id);
  if (index >= 0) return index;
  const examples = ids.slice(0, 3).map((x) => JSON.stringify(x)).join(', ');
  throw new CliError(`${kind} ${JSON.stringify(id)} is not in dataset '${dataset}': it has ${ids.length} ${kind}s${ids.length ? ` (ids such as ${examples})` : ''}`);
}

