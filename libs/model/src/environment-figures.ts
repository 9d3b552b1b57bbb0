// Per-environment figures of a trained model (the apps write them to the graph as (:Environment) nodes): each
// environment's train edges and users, its users' test metrics (the per-user values grouped by the user's
// environment) and, for a two-branch model, the mean weight α_I of the invariant branch over those users' test
// pairs. Plain records: libs/graph declares the same shape as its EnvironmentRecord.
import type { PerUserMetrics } from './evaluate';
import type { EdgeList } from './types';

/** One environment's figures. */
export interface EnvironmentSummary {
  /** 0..E-1, the environment's index in the assignment. */
  idx: number;
  /** Train edges assigned to it. */
  edges: number;
  /** Users whose environment it is. */
  users: number;
  /** edges / all train edges. */
  share: number;
  /** Its users' test `recall@20`, `ndcg@20` and their count `users` (only `users: 0` without test users). */
  metrics: Record<string, number>;
  /** Mean α_I over its users' test pairs; null for one-branch models. */
  meanInvariantWeight: number | null;
}

export interface EnvironmentFigures {
  numEnvironments: number;
  /** Environment of each train edge. */
  assignment: Int32Array;
  /** Environment of each user, -1 for none. */
  userEnvironment: Int32Array;
  /** Per-user test metrics; K = 20 must be among them. */
  perUser: PerUserMetrics;
  test: EdgeList;
  /** α_I of a pair for a model with two branches, else null. */
  invariantWeight: ((user: number, item: number) => number) | null;
}

/** One record per environment 0..E-1; an environment without test users gets metrics { users: 0 }. */
export function environmentRecords(f: EnvironmentFigures): EnvironmentSummary[] {
  const E = f.numEnvironments;
  const at20 = f.perUser.atK[20];
  if (!at20) throw new RangeError(`per-user metrics at K = ${Object.keys(f.perUser.atK).join(', ')}: expected K = 20 among them`);
  const edges = new Array<number>(E).fill(0);
  for (const e of f.assignment) edges[e]++;
  const users = new Array<number>(E).fill(0);
  for (const e of f.userEnvironment) if (e >= 0) users[e]++;
  const sums = Array.from({ length: E }, () => ({ recall: 0, ndcg: 0, users: 0, weight: 0, pairs: 0 }));
  f.perUser.users.forEach((u, k) => {
    const e = f.userEnvironment[u];
    if (e < 0) return;
    sums[e].recall += at20.recall[k];
    sums[e].ndcg += at20.ndcg[k];
    sums[e].users++;
  });
  if (f.invariantWeight) {
    for (let k = 0; k < f.test.users.length; k++) {
      const e = f.userEnvironment[f.test.users[k]];
      if (e < 0) continue;
      sums[e].weight += f.invariantWeight(f.test.users[k], f.test.items[k]);
      sums[e].pairs++;
    }
  }
  const total = f.assignment.length;
  return sums.map((s, idx) => {
    const metrics: Record<string, number> = s.users > 0 ? { 'recall@20': s.recall / s.users, 'ndcg@20': s.ndcg / s.users, users: s.users } : { users: 0 };
    return {
      idx,
      edges: edges[idx],
      users: users[idx],
      share: total > 0 ? edges[idx] / total : 0,
      metrics,
      meanInvariantWeight: f.invariantWeight && s.pairs > 0 ? s.weight / s.pairs : null,
    };
  });
}
