// `stats`: what the graph holds for one dataset, counted from the graph itself (not from cached totals).
import type { GraphClient } from '../db/client';
import { requireDataset } from './datasets';

export interface DatasetStats {
  dataset: string;
  users: number;
  items: number;
  interactions: { train: number; valid: number; test: number; total: number };
  /** Events ingested and how many of them repeat a pair (the pairs are the interactions). */
  events: number;
  repeats: number;
  repeatPolicy: string;
  /** Where the split came from: the input's split column, or the one ingestion made (temporal or seeded random). */
  split: { made: string; seed?: number };
  /** items: those with the modality; absent: those ingested without it. */
  modalities: { name: string; width: number; dtype: string; items: number; absent: number }[];
}

export async function datasetStats(client: GraphClient, dataset: string): Promise<DatasetStats> {
  const meta = (await requireDataset(client, dataset)) as unknown as Record<string, unknown>;
  return client.read(async (tx) => {
    const count = async (cypher: string): Promise<number> =>
      (await tx.run(cypher, { dataset })).records[0].get('n') as number;
    const users = await count('MATCH (u:User {dataset: $dataset}) RETURN count(u) AS n');
    const items = await count('MATCH (i:Item {dataset: $dataset}) RETURN count(i) AS n');
    const splits = await tx.run(
      'MATCH (:User {dataset: $dataset})-[x:INTERACTED]->() RETURN x.split AS split, count(*) AS n',
      { dataset },
    );
    const interactions = { train: 0, valid: 0, test: 0, total: 0 };
    for (const r of splits.records) {
      const split = r.get('split') as 'train' | 'valid' | 'test';
      interactions[split] = r.get('n') as number;
      interactions.total += interactions[split];
    }
    const modalities = await tx.run(
      `MATCH (m:Modality {dataset: $dataset})
       RETURN m.name AS name, m.width AS width, m.dtype AS dtype, COUNT { (:Item)-[:HAS_FEATURE]->(m) } AS items,
              COUNT { MATCH (i:Item {dataset: $dataset}) WHERE m.name IN i.absent } AS absent
       ORDER BY name`,
      { dataset },
    );
    // Datasets ingested before events were counted have one event per pair and the input's split.
    const seed = meta.splitSeed as number | null | undefined;
    return {
      dataset,
      users,
      items,
      interactions,
      events: (meta.events as number | undefined) ?? interactions.total,
      repeats: (meta.repeats as number | undefined) ?? 0,
      repeatPolicy: (meta.repeatPolicy as string | undefined) ?? 'first',
      split: { made: (meta.splitMade as string | undefined) ?? 'input', ...(seed === null || seed === undefined ? {} : { seed }) },
      modalities: modalities.records.map((r) => r.toObject() as DatasetStats['modalities'][number]),
    };
  });
}
