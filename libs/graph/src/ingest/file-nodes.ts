// An append's users (or items) as the dataset holds them: the file's ids looked up once each, in one pass that brings
// back both the index and the element id of every one already there, and the number of the dataset's nodes (the next
// free index). An append so reads what its file names, not every user of the dataset and then its file's users again;
// the new ones get their element ids from the statement that writes them (recordWritten).
import type { GraphClient } from '../db/client';

export interface FileNodes {
  /** id -> idx of the file's ids: those found, then those written by this run. */
  idx: Map<string, number>;
  /** refs[token]: element id of the file's id number `token` (first-appearance order); undefined until known. */
  refs: (string | undefined)[];
  /** Nodes of this label in the dataset when it was read: new ones take the indexes from here on. */
  count: number;
}

const IDS_PER_READ = 50_000;

/** The file's ids (tokens: its ids in first-appearance order) that the dataset has, and its node count. */
export async function readFileNodes(client: GraphClient, label: 'User' | 'Item', dataset: string, tokens: readonly string[]): Promise<FileNodes> {
  const nodes: FileNodes = { idx: new Map(), refs: new Array<string | undefined>(tokens.length), count: 0 };
  for (let from = 0; from < tokens.length; from += IDS_PER_READ) {
    const ids = tokens.slice(from, from + IDS_PER_READ);
    const found = await client.read(async (tx) =>
      (await tx.run(
        `UNWIND range(0, size($ids) - 1) AS k
         MATCH (n:${label} {dataset: $dataset, id: $ids[k]})
         RETURN k, n.idx AS idx, elementId(n) AS ref`,
        { dataset, ids },
      )).records,
    );
    for (const r of found) {
      const k = r.get('k') as number;
      nodes.idx.set(ids[k], r.get('idx') as number);
      nodes.refs[from + k] = r.get('ref') as string;
    }
  }
  nodes.count = await client.read(async (tx) =>
    (await tx.run(`MATCH (n:${label} {dataset: $dataset}) RETURN count(n) AS n`, { dataset })).records[0].get('n') as number,
  );
  return nodes;
}

/** Records nodes this run wrote: rows [id, idx] with the element ids (ref) a statement returned for them. */
export function recordWritten(nodes: FileNodes, written: readonly { id: string; idx: number; token: number }[], refs: ReadonlyMap<string, string>): void {
  for (const w of written) {
    nodes.idx.set(w.id, w.idx);
    nodes.refs[w.token] = refs.get(w.id);
  }
}
