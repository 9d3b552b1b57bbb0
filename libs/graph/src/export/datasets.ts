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
  /** Events ingested and appended (absent in datasets ingested before events were counted: one per pair). */
  events?: number;
  /** Fingerprints of the appended files, one per append (absent before the first append). */
  appended?: string[];
  /** The dataset's earlier fingerprints, oldest first: fingerprints[k] is the one before append k + 1. */
  fingerprints?: string[];
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

export interface DatasetSummary {
  name: string;
  status: string;
  users: number;
  items: number;
  interactions: { train: number; valid: number; test: number };
  modalities: { name: string; width: number }[];
  /** Recorded through the API since ingestion. */
  feedback: number;
  ingestedAt: string | null;
  /** Events ingested and appended (one per pair in datasets ingested before events were counted). */
  events: number;
  /** Appends since the first ingest, and when the last one finished (null before any). */
  appends: number;
  appendedAt: string | null;
}

/** Every dataset with its cached counts (written at the end of ingestion) and modalities, by name. */
export async function listDatasetSummaries(client: GraphClient): Promise<DatasetSummary[]> {
  return client.read(async (tx) => {
    const res = await tx.run(
      `MATCH (d:Dataset)
       CALL (d) { OPTIONAL MATCH (m:Modality {dataset: d.name}) WITH m ORDER BY m.name RETURN collect(m {.name, .width}) AS modalities }
       CALL (d) { OPTIONAL MATCH (f:Feedback {dataset: d.name}) RETURN count(f) AS feedback }
       RETURN d.name AS name, d.status AS status, coalesce(d.users, 0) AS users, coalesce(d.items, 0) AS items,
              coalesce(d.train, 0) AS train, coalesce(d.valid, 0) AS valid, coalesce(d.test, 0) AS test,
              toString(d.ingestedAt) AS ingestedAt, modalities, feedback,
              coalesce(d.events, d.train + d.valid + d.test, 0) AS events, size(coalesce(d.appended, [])) AS appends, toString(d.appendedAt) AS appendedAt
       ORDER BY name`,
    );
    return res.records.map((r) => {
      const o = r.toObject();
      return {
        name: o.name as string,
        status: o.status as string,
        users: o.users as number,
        items: o.items as number,
        interactions: { train: o.train as number, valid: o.valid as number, test: o.test as number },
        modalities: o.modalities as { name: string; width: number }[],
        feedback: o.feedback as number,
        ingestedAt: (o.ingestedAt ?? null) as string | null,
        events: o.events as number,
        appends: o.appends as number,
        appendedAt: (o.appendedAt ?? null) as string | null,
      };
    });
  });
}
