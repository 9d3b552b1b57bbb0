// The environments of a model run in the graph: one (:Environment {dataset, run, idx}) per environment the
// invariance stage learned, with its size and its users' test metrics, and (:Environment)-[:CONTAINS]->(:User)
// for each user's environment (the one holding most of the user's train edges). Written with UNWIND batches
// and MERGE on the (dataset, run, idx) constraint, so a re-run for the same run changes nothing, and CONTAINS
// relationships of that run which no longer hold are removed.
import type { GraphClient } from '../db/client';
import { ensureSchema } from '../db/schema';
import { GraphError } from '../errors';
import { requireDataset } from '../export/datasets';

export interface EnvironmentRecord {
  /** 0..E-1, the environment's index in the model's assignment. */
  idx: number;
  /** Train edges assigned to the environment (stored as `size`). */
  edges: number;
  /** Users whose environment this is. */
  users: number;
  /** edges / all train edges. */
  share: number;
  /** Metrics of this environment's users on the test split, e.g. `recall@20`, `ndcg@20`, `users`. */
  metrics: Record<string, number>;
  /** Mean α_I over the test pairs of this environment's users (EIOR only; null for one-branch models). */
  meanInvariantWeight: number | null;
}

export interface EnvironmentsWrite {
  dataset: string;
  /** The model run (its artifact version, as in (:ModelRun {dataset, version})). */
  run: string;
  /** How the environments were made: `inferred` or `time`. */
  source: string;
  environments: EnvironmentRecord[];
  /** userIdx[u]: the environment of the user of dense index u, or -1 for none; one entry per user of the dataset. */
  userEnvironment: { userIdx: ArrayLike<number> };
}

export interface StoredEnvironment extends EnvironmentRecord {
  dataset: string;
  run: string;
  source: string;
}

/** Users per CONTAINS transaction. */
const USERS_PER_BATCH = 5_000;

const MERGE_ENVIRONMENTS = `
UNWIND $rows AS r
MERGE (e:Environment {dataset: $dataset, run: $run, idx: toInteger(r.idx)})
SET e.size = toInteger(r.edges), e.users = toInteger(r.users), e.share = r.share, e.metrics = r.metrics,
    e.meanInvariantWeight = r.meanInvariantWeight, e.source = $source`;

const DROP_STALE_ENVIRONMENTS = `
MATCH (e:Environment {dataset: $dataset, run: $run})
WHERE NOT e.idx IN $idxs
DETACH DELETE e`;

// The user side is pinned to the (dataset, idx) seek, as ingestion's statements are (write-dataset.ts): a
// fresh store's planner may otherwise scan per row. r[0] is the user's idx, r[1] its environment (-1: none).
const DROP_STALE_CONTAINS = `
UNWIND $rows AS r
MATCH (u:User {dataset: $dataset, idx: toInteger(r[0])}) USING INDEX SEEK u:User(dataset, idx)
MATCH (e:Environment {dataset: $dataset, run: $run})-[c:CONTAINS]->(u)
WHERE e.idx <> toInteger(r[1])
DELETE c`;

const MERGE_CONTAINS = `
UNWIND $rows AS r
WITH r WHERE r[1] >= 0
MATCH (u:User {dataset: $dataset, idx: toInteger(r[0])}) USING INDEX SEEK u:User(dataset, idx)
MATCH (e:Environment {dataset: $dataset, run: $run, idx: toInteger(r[1])})
MERGE (e)-[:CONTAINS]->(u)`;

/** Writes a run's environments and memberships idempotently; refuses input that does not fit the dataset. */
export async function writeEnvironments(client: GraphClient, write: EnvironmentsWrite): Promise<void> {
  await ensureSchema(client);
  const meta = await requireDataset(client, write.dataset);
  const idxs = checkEnvironments(write, meta.users);
  const { dataset, run, source } = write;
  await client.write(async (tx) => {
    const rows = write.environments.map((e) => ({ ...e, metrics: JSON.stringify(e.metrics) }));
    await tx.run(MERGE_ENVIRONMENTS, { dataset, run, source, rows });
    await tx.run(DROP_STALE_ENVIRONMENTS, { dataset, run, idxs });
  });
  const userEnv = write.userEnvironment.userIdx;
  for (let from = 0; from < userEnv.length; from += USERS_PER_BATCH) {
    const rows: [number, number][] = [];
    for (let u = from; u < Math.min(userEnv.length, from + USERS_PER_BATCH); u++) rows.push([u, userEnv[u]]);
    await client.write(async (tx) => {
      await tx.run(DROP_STALE_CONTAINS, { dataset, run, rows });
      await tx.run(MERGE_CONTAINS, { dataset, run, rows });
    });
  }
}

/** A run's environments in index order, as plain objects (empty when the run has none). */
export async function readEnvironments(client: GraphClient, dataset: string, run: string): Promise<StoredEnvironment[]> {
  return client.read(async (tx) => {
    const res = await tx.run(
      `MATCH (e:Environment {dataset: $dataset, run: $run})
       RETURN e {.*} AS e ORDER BY e.idx`,
      { dataset, run },
    );
    return res.records.map((rec) => {
      const e = rec.get('e') as Record<string, unknown>;
      return {
        dataset: e.dataset as string,
        run: e.run as string,
        source: e.source as string,
        idx: e.idx as number,
        edges: e.size as number,
        users: e.users as number,
        share: e.share as number,
        metrics: JSON.parse(e.metrics as string) as Record<string, number>,
        meanInvariantWeight: (e.meanInvariantWeight ?? null) as number | null,
      };
    });
  });
}

/** The environment indexes, after checking every value names a real user and environment. */
function checkEnvironments(write: EnvironmentsWrite, numUsers: number): number[] {
  const idxs = write.environments.map((e) => e.idx);
  const known = new Set(idxs);
  const bad = (message: string) => new GraphError('BAD_USER_INPUT', `environments of run ${write.run} of '${write.dataset}': ${message}`);
  for (const e of write.environments) {
    if (!Number.isInteger(e.idx) || e.idx < 0) throw bad(`environment idx ${e.idx} is not valid: expected an integer >= 0`);
    for (const key of ['edges', 'users'] as const) {
      if (!Number.isInteger(e[key]) || e[key] < 0) throw bad(`environment ${e.idx} has ${key} ${e[key]}: expected an integer >= 0`);
    }
  }
  if (known.size !== idxs.length) throw bad(`environment indexes ${JSON.stringify(idxs)} repeat one`);
  const userEnv = write.userEnvironment.userIdx;
  if (userEnv.length !== numUsers) throw bad(`userEnvironment has ${userEnv.length} entries: expected one per user, ${numUsers}`);
  for (let u = 0; u < userEnv.length; u++) {
    if (userEnv[u] !== -1 && !known.has(userEnv[u])) {
      throw bad(`user ${u} is in environment ${userEnv[u]}: expected -1 or one of ${idxs.join(', ')}`);
    }
  }
  return idxs;
}
