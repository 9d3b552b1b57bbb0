// The graph model and its constraints, created idempotently at start.
//
//   (:Dataset {name, status, fingerprint, counts...})
//   (:User {dataset, id, idx})      (:Item {dataset, id, idx})      (:Modality {dataset, name, kind, width})
//   (:User)-[:INTERACTED {split, rating?, timestamp?}]->(:Item)
//   (:Item)-[:HAS_FEATURE {values: [float]}]->(:Modality)
//
// Every node carries `dataset`, and every key is (dataset, ...), so several datasets live side by side in
// one database (Community has one) without mixing. Environments and model runs fit the same pattern:
//   (:ModelRun {dataset, version}) and (:Environment {dataset, run, idx})-[:CONTAINS]->(:User)
// Feedback recorded through the API: (:User)-[:GAVE]->(:Feedback {dataset, id, timestamp})-[:ABOUT]->(:Item)
// Tuning on validation (`eior tune`): (:Tuning {dataset, id})-[:TUNES]->(:Dataset), (:Trial {dataset, tuning, id})-[:OF]->(:Tuning)
import type { GraphClient } from './client';

const STATEMENTS = [
  'CREATE CONSTRAINT dataset_name IF NOT EXISTS FOR (d:Dataset) REQUIRE d.name IS UNIQUE',
  'CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE (u.dataset, u.id) IS UNIQUE',
  'CREATE CONSTRAINT user_idx IF NOT EXISTS FOR (u:User) REQUIRE (u.dataset, u.idx) IS UNIQUE',
  'CREATE CONSTRAINT item_id IF NOT EXISTS FOR (i:Item) REQUIRE (i.dataset, i.id) IS UNIQUE',
  'CREATE CONSTRAINT item_idx IF NOT EXISTS FOR (i:Item) REQUIRE (i.dataset, i.idx) IS UNIQUE',
  'CREATE CONSTRAINT modality_name IF NOT EXISTS FOR (m:Modality) REQUIRE (m.dataset, m.name) IS UNIQUE',
  'CREATE CONSTRAINT model_run_version IF NOT EXISTS FOR (r:ModelRun) REQUIRE (r.dataset, r.version) IS UNIQUE',
  'CREATE CONSTRAINT feedback_id IF NOT EXISTS FOR (f:Feedback) REQUIRE (f.dataset, f.id) IS UNIQUE',
  'CREATE CONSTRAINT tuning_id IF NOT EXISTS FOR (t:Tuning) REQUIRE (t.dataset, t.id) IS UNIQUE',
  'CREATE CONSTRAINT trial_id IF NOT EXISTS FOR (t:Trial) REQUIRE (t.dataset, t.tuning, t.id) IS UNIQUE',
  'CREATE CONSTRAINT environment_key IF NOT EXISTS FOR (e:Environment) REQUIRE (e.dataset, e.run, e.idx) IS UNIQUE',
  // Per-dataset scans (stats, export) go through these.
  'CREATE INDEX user_dataset IF NOT EXISTS FOR (u:User) ON (u.dataset)',
  'CREATE INDEX item_dataset IF NOT EXISTS FOR (i:Item) ON (i.dataset)',
];

const ensured = new WeakSet<GraphClient>();

/** Creates the constraints and indexes if missing and waits until they are online. Safe to call often. */
export async function ensureSchema(client: GraphClient): Promise<void> {
  if (ensured.has(client)) return;
  for (const statement of STATEMENTS) {
    await client.runAutoCommit(statement);
  }
  await client.runAutoCommit('CALL db.awaitIndexes(300)');
  ensured.add(client);
}
