// An append's batch statements find their users and items by element id, each node once per statement, instead of
// two index seeks per pair: the rows carry positions into the statement's own lists of element ids, and the
// statement checks that every listed node is still one of this dataset's (a node deleted meanwhile leaves its list
// short, so the statement matches no row, which the caller sees in its counts and refuses). The element ids go as
// their common beginning once ($refPrefix) and the rest of each: they are long (about 40 characters, most of them the
// database's id) and a batch lists thousands, twice when it reads and creates pairs.
import { RefList } from './ref-list';

/**
 * Finds the batch's users and items ($users, $items: element ids less their common beginning $refPrefix) as the
 * lists `users` and `items`.
 */
export const BATCH_LISTS = `
UNWIND $users AS ref
MATCH (u:User) WHERE elementId(u) = $refPrefix + ref AND u.dataset = $dataset
WITH collect(u) AS users
WHERE size(users) = size($users)
UNWIND $items AS ref
MATCH (i:Item) WHERE elementId(i) = $refPrefix + ref AND i.dataset = $dataset
WITH users, collect(i) AS items
WHERE size(items) = size($items)`;

/**
 * BATCH_LISTS, then gives each row r of $rows its nodes as u and i (r[0], r[1]: positions in the two lists); the
 * statement goes on from there.
 */
export const BATCH_NODES = `${BATCH_LISTS}
UNWIND $rows AS r
WITH users[toInteger(r[0])] AS u, items[toInteger(r[1])] AS i, r`;

/** The element ids of a statement's users and items, less their common beginning. */
export interface BatchRefs {
  users: string[];
  items: string[];
  refPrefix: string;
}

export interface BatchNodes extends BatchRefs {
  /** The rows with r[0] and r[1] replaced by positions in `users` and `items`. */
  rows: unknown[][];
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
  return { rows: out, ...shareRefPrefix(users.refs, items.refs) };
}

export interface BatchGroups extends BatchRefs {
  /** Per user of the rows: [position in `users`, positions in `items`, the rows' r[2]], rows in their given order. */
  groups: [number, number[], unknown[]][];
}

/** rows as for batchNodes, [user, item, tag]: grouped by user, so that a statement can expand each user once. */
export function batchGroups(rows: readonly unknown[][], userRefs: readonly string[], itemRefs: readonly string[]): BatchGroups {
  const users = new RefList(userRefs);
  const items = new RefList(itemRefs);
  const groups: [number, number[], unknown[]][] = [];
  for (const r of rows) {
    const u = users.position(r[0] as number);
    if (u === groups.length) groups.push([u, [], []]);
    groups[u][1].push(items.position(r[1] as number));
    groups[u][2].push(r[2]);
  }
  return { groups, ...shareRefPrefix(users.refs, items.refs) };
}

/** The longest beginning every one of the element ids shares, and each one less it (the statement adds it back). */
export function shareRefPrefix(users: readonly string[], items: readonly string[]): BatchRefs {
  const all = [...users, ...items];
  let length = all.length > 0 ? all[0].length : 0;
  for (const ref of all) {
    let k = 0;
    while (k < length && k < ref.length && ref.charCodeAt(k) === all[0].charCodeAt(k)) k++;
    length = k;
  }
  const cut = (refs: readonly string[]) => refs.map((ref) => ref.slice(length));
  return { users: cut(users), items: cut(items), refPrefix: all.length > 0 ? all[0].slice(0, length) : '' };
}
