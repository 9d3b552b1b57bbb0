// The datasets in the graph: the list, and one dataset's node, refused when missing or only partly ingested.
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';

export interface DatasetRow {
  fingerprint: string;
  status: string;
  users: number;
  items: number;
  train: number;
  valid: number;
  test: number;
}

/** Names of the datasets in the graph, with their ingestion status. */
export async function listDatasets(client: GraphClient): Promise<{ name: string; status: string }[]> {
  return client.read(async (tx) => {
    const res = await tx.run('MATCH (d:Dataset) RETURN d.name AS name, d.status AS status ORDER BY name');
    return res.records.map((r) => r.toObject() as { name: string; status: string });
  });
}

/** The dataset node, or NOT_FOUND naming the datasets that exist. */
export async function requireDataset(client: GraphClient, dataset: string): Promise<DatasetRow> {
  const found = await client.read(async (tx) => {
    const res = await tx.run('MATCH (d:Dataset {name: $dataset}) RETURN d {.*} AS props', { dataset });
    return res.records[0]?.get('props') as DatasetRow | undefined;
  });
  if (!found) {
    const names = (await listDatasets(client)).map((d) => d.name);
    throw new GraphError(
      'NOT_FOUND',
      `dataset '${dataset}' is not in the graph: ${names.length ? `expected one of ${names.join(', ')}` : 'no dataset has been ingested yet (run `eior ingest`)'}`,
    );
  }
  if (found.status !== 'complete') {
    throw new GraphError('CONFLICT', `dataset '${dataset}' is only partly ingested: run \`eior ingest\` again to finish it`);
  }
  return found;
}
