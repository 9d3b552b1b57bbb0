// `stats`: what the graph holds for one dataset, counted from the graph itself (not from cached totals).
import type { GraphClient } from '../db/client';
import { requireDataset } from './datasets';

export interface DatasetStats {
  dataset: string;
  users: number;
  items: number;
  interactions: { train: number; valid: number; test: number; total: number };
  modalities: { name: string; width: number; dtype: string; items: number }[];
}

export async function datasetStats(client: GraphClient, dataset: string): Promise<DatasetStats> {
  await requireDataset(client, dataset);
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
       RETURN m.name AS name, m.width AS width, m.dtype AS dtype, COUNT { (:Item)-[:HAS_FEATURE]->(m) } AS items
       ORDER BY name`,
      { dataset },
    );
    return {
      dataset,
      users,
      items,
      interactions,
      modalities: modalities.records.map((r) => r.toObject() as DatasetStats['modalities'][number]),
    };
  });
}
