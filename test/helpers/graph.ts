// A GraphClient on the Neo4j the integration tests run against (started by global-setup, or NEO4J_URI).
import { createHash } from 'node:crypto';
import { GraphClient } from '../../libs/graph/src';

export function testGraph(): Promise<GraphClient> {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is not set: the integration global setup should have started Neo4j');
  return GraphClient.connect({ uri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
}

/** A digest of every node, relationship and property of one dataset, independent of its name and of ids. */
export async function datasetDigest(client: GraphClient, dataset: string): Promise<{ digest: string; nodes: number; relationships: number }> {
  return client.read(async (tx) => {
    const hash = createHash('sha256');
    let nodes = 0;
    let relationships = 0;
    for (const label of ['User', 'Item', 'Modality']) {
      const res = await tx.run(`MATCH (n:${label} {dataset: $dataset}) RETURN n {.*, dataset: null} AS p ORDER BY n.id, n.name`, { dataset });
      for (const r of res.records) hash.update(`${label}${JSON.stringify(r.get('p'), Object.keys(r.get('p')).sort())}\n`);
      nodes += res.records.length;
    }
    const rels = await tx.run(
      `MATCH (a {dataset: $dataset})-[x]->(b)
       WHERE a:User OR a:Item
       RETURN type(x) AS t, a.id AS a, coalesce(b.id, b.name) AS b, properties(x) AS p ORDER BY t, a, b`,
      { dataset },
    );
    for (const r of rels.records) {
      const p = r.get('p') as Record<string, unknown>;
      hash.update(`${r.get('t')}|${r.get('a')}|${r.get('b')}|${JSON.stringify(p, Object.keys(p).sort())}\n`);
    }
    relationships = rels.records.length;
    return { digest: hash.digest('hex'), nodes, relationships };
  });
}

/** A digest of one model run's Environment nodes (every property) and their CONTAINS relationships. */
export async function environmentDigest(client: GraphClient, dataset: string, run: string): Promise<{ digest: string; environments: number; contains: number }> {
  return client.read(async (tx) => {
    const hash = createHash('sha256');
    const nodes = await tx.run('MATCH (e:Environment {dataset: $dataset, run: $run}) RETURN properties(e) AS p ORDER BY e.idx', { dataset, run });
    for (const r of nodes.records) hash.update(`${JSON.stringify(r.get('p'), Object.keys(r.get('p')).sort())}\n`);
    const rels = await tx.run(
      `MATCH (e:Environment {dataset: $dataset, run: $run})-[c:CONTAINS]->(u:User)
       RETURN e.idx AS e, u.id AS u, properties(c) AS p ORDER BY e, u`,
      { dataset, run },
    );
    for (const r of rels.records) hash.update(`${r.get('e')}|${r.get('u')}|${JSON.stringify(r.get('p'))}\n`);
    return { digest: hash.digest('hex'), environments: nodes.records.length, contains: rels.records.length };
  });
}
