// PGlite's CommonJS build loads node modules with import(), which jest's sandbox refuses: load it with Node's own require
jest.mock('@electric-sql/pglite', () => jest.requireActual('../unit/api/bi/outside-jest').requireOutsideJest('@electric-sql/pglite'));

// BI access without custom code, end to end: the API publishes its tables for a trained EIOR model, a real
// PostgreSQL client reads every table over the wire protocol (and cannot write), and the CSV/JSON exports page
// through the same rows; the numbers agree with GraphQL.
import path from 'node:path';
import { Client } from 'pg';
import type { RunningApi } from '../../apps/api/src';
import { BI_TABLES } from '../../apps/api/src/bi';
import { dropDataset, type GraphClient, type TrainingExport } from '../../libs/graph/src';
import { gql, startTestApi } from '../helpers/api';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { ingestGenerated, trainTinyEior } from '../helpers/trained-dataset';

const NAME = `bi-${process.pid}`;

describe('BI endpoints', () => {
  let client: GraphClient;
  let api: RunningApi;
  let data: TrainingExport;
  let sql: Client;
  const tmp = tempDir('bi');
  const home = path.join(tmp.dir, 'home');

  beforeAll(async () => {
    client = await testGraph();
    data = await ingestGenerated(client, { name: NAME, dir: tmp.dir, users: 200, items: 120, interactions: 4000, seed: 5 });
    await trainTinyEior(NAME, home);
    api = await startTestApi(client, home, { bi: { enabled: true, sqlPort: 0, postgresUrl: null, recommendationUsers: 50, dataDir: null, refreshMs: 0, threadPriority: 'idle', yieldMs: 1000 } });
    sql = new Client({ connectionString: api.bi!.sqlUrl! });
    await sql.connect();
    // the publisher fills the tables once the model has loaded (it loads at start); wait for this dataset's rows
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const n = (await sql.query('SELECT count(*)::int AS n FROM recommendations WHERE dataset = $1', [NAME])).rows[0].n as number;
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await api.bi!.publisher.idle();
  });
  afterAll(async () => {
    await sql?.end();
    await api?.close();
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('serves every table over the PostgreSQL protocol, with its documentation', async () => {
    for (const table of BI_TABLES) {
      const columns = table.columns.map((c) => `"${c.name}"`).join(', ');
      const res = await sql.query(`SELECT ${columns} FROM ${table.name} WHERE dataset = $1`, [NAME]);
      if (table.name !== 'interactions_per_day' || data.trainTimestamps) expect([table.name, res.rows.length > 0]).toEqual([table.name, true]);
      const comment = await sql.query(`SELECT obj_description(('eior.' || $1)::regclass, 'pg_class') AS d`, [table.name]);
      expect(comment.rows[0].d).toContain(table.description);
    }
  });

  it('holds the same numbers as GraphQL', async () => {
    const row = (await sql.query('SELECT user_id, item_id, rating, invariant_weight, variant_weight, new_item FROM recommendations WHERE dataset = $1 AND rank = 1 ORDER BY user_id LIMIT 1', [NAME])).rows[0];
    const res = await gql<{ recommendations: { edges: { node: { rating: number; item: { id: string }; explanation: { invariantWeight: number; newItem: boolean } } }[] } }>(
      api.url, `query($d: String!, $u: String!) { recommendations(dataset: $d, userId: $u, first: 1) { edges { node { rating item { id } explanation { invariantWeight newItem } } } } }`, { d: NAME, u: row.user_id });
    const top = res.data!.recommendations.edges[0].node;
    expect(top.item.id).toBe(row.item_id);
    expect(row.rating).toBeCloseTo(top.rating, 5);
    expect(row.invariant_weight + row.variant_weight).toBeCloseTo(1, 6);
    expect(row.invariant_weight).toBeCloseTo(top.explanation.invariantWeight, 6);
    expect(row.new_item).toBe(top.explanation.newItem);
    const env = await gql<{ environments: { index: number; size: number }[] }>(api.url, `query($d: String!) { environments(dataset: $d) { index size } }`, { d: NAME });
    const sizes = (await sql.query('SELECT environment, size FROM environments WHERE dataset = $1 ORDER BY environment', [NAME])).rows;
    expect(sizes.map((r) => [r.environment, Number(r.size)])).toEqual(env.data!.environments.map((e) => [e.index, e.size]));
  });

  it('refuses every write', async () => {
    const before = (await sql.query('SELECT count(*)::int AS n FROM recommendations')).rows[0].n;
    for (const statement of ['DELETE FROM recommendations', 'DROP TABLE recommendations', 'CREATE TABLE x (a int)', "UPDATE model_versions SET model = 'x'"]) {
      await expect(sql.query(statement)).rejects.toThrow(/read-only|not allowed|permission/i);
    }
    expect((await sql.query('SELECT count(*)::int AS n FROM recommendations')).rows[0].n).toBe(before);
  });

  it('pages the same rows through the JSON and CSV exports', async () => {
    const base = api.url.replace('/graphql', '/export');
    const all = (await sql.query('SELECT count(*)::int AS n FROM recommendations WHERE dataset = $1', [NAME])).rows[0].n as number;
    const seen = new Set<string>();
    let after: string | null = null;
    do {
      const q: string = `${base}/recommendations.json?dataset=${NAME}&limit=300${after ? `&after=${after}` : ''}`;
      const page = (await (await fetch(q)).json()) as { rows: { user_id: string; rank: number }[]; nextCursor: string | null };
      for (const r of page.rows) seen.add(`${r.user_id}/${r.rank}`);
      after = page.nextCursor;
    } while (after);
    expect(seen.size).toBe(all);
    const csv = await fetch(`${base}/model_versions.csv?dataset=${NAME}`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0].split(',')).toEqual(BI_TABLES.find((t) => t.name === 'model_versions')!.columns.map((c) => c.name));
    expect(lines).toHaveLength(2);
    const bad = await fetch(`${base}/recommendations.json?dataset=${NAME}&limit=0`);
    expect(bad.status).toBe(400);
  });
});
