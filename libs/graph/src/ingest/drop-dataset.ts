// Removes one dataset's nodes and relationships in bounded transactions, leaving every other dataset alone.
import type { GraphClient } from '../db/client';

const BATCH = 20_000;

// LIMIT takes an integer literal here: a JavaScript number parameter would arrive as a float.
const STEPS = [
  `MATCH (:User {dataset: $dataset})-[r]->() WITH r LIMIT ${BATCH} DELETE r RETURN count(*) AS n`,
  `MATCH (:Item {dataset: $dataset})-[r]-() WITH r LIMIT ${BATCH} DELETE r RETURN count(*) AS n`,
  ...['User', 'Item', 'Modality', 'Environment', 'ModelRun', 'Feedback', 'Trial', 'Tuning'].map(
    (label) => `MATCH (n:${label} {dataset: $dataset}) WITH n LIMIT ${BATCH} DETACH DELETE n RETURN count(*) AS n`,
  ),
  'MATCH (d:Dataset {name: $dataset}) DETACH DELETE d RETURN count(*) AS n',
];

export async function dropDataset(client: GraphClient, dataset: string): Promise<void> {
  for (const cypher of STEPS) {
    for (;;) {
      const n = await client.write(async (tx) => {
        const res = await tx.run(cypher, { dataset });
        return res.records[0].get('n') as number;
      });
      if (n === 0) break;
    }
  }
}
