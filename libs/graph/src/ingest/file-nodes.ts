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

/**
 * Ids per lookup, and lookups in flight: each is a read transaction of its own that returns its finds as three lists
 * (one record: the driver decodes lists far faster than as many records). Measured on an append of 1,000,000 events to
 * 10,000,000 (460,569 users and 104,739 items looked up, a warm server, 2 cores): one lookup of 50,000 at a time, a
 * record per find, 5.5 to 7.0 s; 10,000 at a time, 4 in flight, lists, 2.9 to 3.7 s (docs/benchmarks/ingest.md).
 */
const IDS_PER_READ = 10_000;
const READS_IN_FLIGHT = 4;

/**
 * The file's ids (tokens: its ids in first-appearance order) that the dataset has, and its node count. idsPerRead:
 * IDS_PER_READ unless a test asks for smaller lookups.
 */
export async function readFileNodes(client: GraphClient, label: 'User' | 'Item', dataset: string, tokens: readonly string[], idsPerRead = IDS_PER_READ): Promise<FileNodes> {
  const nodes: FileNodes = { idx: new Map(), refs: new Array<string | undefined>(tokens.length), count: 0 };
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < tokens.length) {
      const from = next;
      next += idsPerRead;
      const ids = tokens.slice(from, from + idsPerRead);
      const found = await client.read(async (tx) =>
        (await tx.run(
          `UNWIND range(0, size($ids) - 1) AS k
           MATCH (n:${label} {dataset: $dataset, id: $ids[k]})
           RETURN collect(k) AS ks, collect(n.idx) AS idxs, collect(elementId(n)) AS refs`,
          { dataset, ids },
        )).records[0],
      );
      const ks = found.get('ks') as number[];
      const idxs = found.get('idxs') as number[];
      const refs = found.get('refs') as string[];
      for (let j = 0; j < ks.length; j++) {
        nodes.idx.set(ids[ks[j]], idxs[j]);
        nodes.refs[from + ks[j]] = refs[j];
      }
    }
  };
  await Promise.all(Array.from({ length: READS_IN_FLIGHT }, reader));
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
