// An append's batch statements find their users and items by element id, each node once per statement, instead of
// two index seeks per pair: the rows carry positions into the statement's own lists of element ids, and the
// statement checks that every listed node is still one of this dataset's (a node deleted meanwhile leaves its list
// short, so the statement matches no row, which the caller sees in its counts and refuses).
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import { RefList } from './ref-list';

/**
 * Finds the batch's users and items ($users, $items: element ids) and gives each row r of $rows its nodes as u and i
 * (r[0], r[1]: positions in the two lists); the statement goes on from there.
 */
export const BATCH_NODES = `
UNWIND $users AS ref
MATCH (u:User) WHERE elementId(u) = ref AND u.dataset = $dataset
WITH collect(u) AS users
WHERE size(users) = size($users)
UNWIND $items AS ref
MATCH (i:Item) WHERE elementId(i) = ref AND i.dataset = $dataset
WITH users, collect(i) AS items
WHERE size(items) = size($items)
UNWIND $rows AS r
WITH users[toInteger(r[0])] AS u, items[toInteger(r[1])] AS i, r`;

export interface BatchNodes {
  /** The rows with r[0] and r[1] replaced by positions in `users` and `items`. */
  rows: unknown[][];
  users: string[];
  items: string[];
}

/**
 * rows: r[0] and r[1] are a user and an item as indexes into userRefs and itemRefs (element ids); every other
 * entry is kept as it is.
 */
export function batchNodes(rows: readonly unknown[][], userRefs: readonly string[], itemRefs: readonly string[]): BatchNodes {
  const users = new RefList(userRefs);
  const items = new RefList(itemRefs);
  const out = rows.map((r) => {
    const row = r.slice();
    row[0] = users.position(r[0] as number);
    row[1] = items.position(r[1] as number);
    return row;
  });
  return { rows: out, users: users.refs, items: items.refs };
}

const REFS_PER_READ = 50_000;

/** Element ids of a dataset's users or items with the given ids, in the ids' order; every id must be there. */
export async function readRefs(client: GraphClient, label: 'User' | 'Item', dataset: string, ids: readonly string[]): Promise<string[]> {
  const refs: string[] = [];
  for (let from = 0; from < ids.length; from += REFS_PER_READ) {
    const chunk = ids.slice(from, from + REFS_PER_READ);
    const found = await client.read(async (tx) =>
      (await tx.run(
        `UNWIND range(0, size($ids) - 1) AS k
         MATCH (n:${label} {dataset: $dataset, id: $ids[k]})
         RETURN k, elementId(n) AS ref`,
        { dataset, ids: chunk },
      )).records,
    );
    const part = new Array<string>(chunk.length);
    for (const r of found) part[r.get('k') as number] = r.get('ref') as string;
    const missing = chunk.findIndex((_, k) => part[k] === undefined);
    if (missing >= 0) {
      throw new GraphError('CONFLICT', `${label.toLowerCase()} "${chunk[missing]}" of dataset '${dataset}' is not in the graph although this run wrote it: was the dataset deleted meanwhile? Run the append again`);
    }
    for (const ref of part) refs.push(ref);
  }
  return refs;
}
