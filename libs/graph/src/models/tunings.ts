// Tunings in the graph: one (:Tuning) per `eior tune` search (keyed by what decides its trials: kind, data, seed,
// space, schedule), one (:Trial) per trained config, written as each trial ends. A killed tuning resumes from its
// finished trials; the best settings of the newest finished tuning of a dataset's current data are what `eior train`
// starts from. Nested values (settings, curves) are JSON strings: Neo4j properties cannot hold maps.
import type { GraphClient } from '../db/client';
import { ensureSchema } from '../db/schema';

export interface TuningRecord {
  dataset: string;
  /** Stable for the same kind, data fingerprint, seed, space and schedule: re-running the command resumes it. */
  id: string;
  model: string;
  fingerprint: string;
  seed: number;
  /** The search space, schedule and base preset, as JSON-ready objects. */
  space: Record<string, unknown>;
  schedule: Record<string, unknown>;
  base: Record<string, unknown>;
}

export interface TrialRow {
  id: string;
  /** Order in which the trial ran within its tuning, from 0. */
  seq: number;
  bracket: number;
  rung: number;
  config: number;
  settings: Record<string, unknown>;
  epochs: number;
  status: 'finished' | 'cut' | 'failed';
  score: number | null;
  bestEpoch: number;
  curve: { epoch: number; ndcg20: number }[];
  seconds: number;
  error: string | null;
}

export interface TuningSummary extends TuningRecord {
  status: 'running' | 'complete' | 'budget' | 'trials';
  startedAt: string;
  updatedAt: string;
  /** Seconds spent training trials, over every run of this tuning. */
  spentSeconds: number;
  bestTrial: string | null;
  bestScore: number | null;
  bestSettings: Record<string, unknown> | null;
  /** The version trained with the best settings at the end of the tuning, when one was. */
  version: string | null;
}

/** Creates the tuning, or finds it (a resume); returns its trials so far, in the order they ran. */
export async function openTuning(client: GraphClient, t: TuningRecord): Promise<TrialRow[]> {
  await ensureSchema(client);
  await client.write(async (tx) => {
    await tx.run(
      `MATCH (d:Dataset {name: $dataset})
       MERGE (t:Tuning {dataset: $dataset, id: $id})
       ON CREATE SET t.model = $model, t.fingerprint = $fingerprint, t.seed = toInteger($seed), t.space = $space, t.schedule = $schedule,
                     t.base = $base, t.startedAt = datetime(), t.spentSeconds = 0.0, t.version = null
       SET t.status = 'running', t.updatedAt = datetime()
       MERGE (t)-[:TUNES]->(d)`,
      { ...t, space: JSON.stringify(t.space), schedule: JSON.stringify(t.schedule), base: JSON.stringify(t.base) },
    );
  });
  return listTrials(client, t.dataset, t.id);
}

/**
 * Records one trial's outcome (idempotent by its id) and the tuning's budget spent so far, `spentSeconds` (the
 * runner's own clock over every run of the tuning: trials and what happens between them).
 */
export async function recordTrial(client: GraphClient, dataset: string, tuning: string, trial: TrialRow, spentSeconds: number): Promise<void> {
  await client.write(async (tx) => {
    await tx.run(
      `MATCH (t:Tuning {dataset: $dataset, id: $tuning})
       MERGE (r:Trial {dataset: $dataset, tuning: $tuning, id: $id})
       SET t.spentSeconds = $spentSeconds, r.seq = toInteger($seq), r.bracket = toInteger($bracket), r.rung = toInteger($rung), r.config = toInteger($config),
           r.settings = $settings, r.epochs = toInteger($epochs), r.status = $status, r.score = $score, r.bestEpoch = toInteger($bestEpoch),
           r.curve = $curve, r.seconds = $seconds, r.error = $error, r.finishedAt = datetime(), t.updatedAt = datetime()
       MERGE (r)-[:OF]->(t)`,
      { dataset, tuning, ...trial, spentSeconds, settings: JSON.stringify(trial.settings), curve: JSON.stringify(trial.curve) },
    );
  });
}

/** Sets the tuning's budget spent so far (after a trial the budget cut, which is not recorded: it is trained again on resume). */
export async function setTuningSpent(client: GraphClient, dataset: string, tuning: string, spentSeconds: number): Promise<void> {
  await client.write(async (tx) => {
    await tx.run('MATCH (t:Tuning {dataset: $dataset, id: $tuning}) SET t.spentSeconds = $spentSeconds, t.updatedAt = datetime()', { dataset, tuning, spentSeconds });
  });
}

/** Ends a run of the tuning: why it ended, its best trial and settings, and the version trained from them. */
export async function closeTuning(
  client: GraphClient,
  dataset: string,
  tuning: string,
  end: { status: TuningSummary['status']; spentSeconds: number; bestTrial: string | null; bestScore: number | null; bestSettings: Record<string, unknown> | null; version: string | null },
): Promise<void> {
  await client.write(async (tx) => {
    await tx.run(
      `MATCH (t:Tuning {dataset: $dataset, id: $tuning})
       SET t.status = $status, t.spentSeconds = $spentSeconds, t.bestTrial = $bestTrial, t.bestScore = $bestScore, t.bestSettings = $bestSettings,
           t.version = coalesce($version, t.version), t.updatedAt = datetime()`,
      { dataset, tuning, ...end, bestSettings: end.bestSettings ? JSON.stringify(end.bestSettings) : null },
    );
  });
}

export async function listTrials(client: GraphClient, dataset: string, tuning: string): Promise<TrialRow[]> {
  return client.read(async (tx) => {
    const res = await tx.run('MATCH (r:Trial {dataset: $dataset, tuning: $tuning}) RETURN r {.*} AS r ORDER BY r.seq', { dataset, tuning });
    return res.records.map((rec) => {
      const r = rec.get('r') as Record<string, unknown>;
      return {
        id: r.id as string,
        seq: r.seq as number,
        bracket: r.bracket as number,
        rung: r.rung as number,
        config: r.config as number,
        settings: JSON.parse(r.settings as string),
        epochs: r.epochs as number,
        status: r.status as TrialRow['status'],
        score: (r.score as number | null) ?? null,
        bestEpoch: r.bestEpoch as number,
        curve: JSON.parse(r.curve as string),
        seconds: r.seconds as number,
        error: (r.error as string | null) ?? null,
      };
    });
  });
}

/** A dataset's tunings, newest first. */
export async function listTunings(client: GraphClient, dataset: string): Promise<TuningSummary[]> {
  return client.read(async (tx) => {
    const res = await tx.run(
      `MATCH (t:Tuning {dataset: $dataset})
       RETURN t {.*, startedAt: toString(t.startedAt), updatedAt: toString(t.updatedAt)} AS t ORDER BY t.startedAt DESC`,
      { dataset },
    );
    return res.records.map((rec) => {
      const t = rec.get('t') as Record<string, unknown>;
      return {
        dataset: t.dataset as string,
        id: t.id as string,
        model: t.model as string,
        fingerprint: t.fingerprint as string,
        seed: t.seed as number,
        space: JSON.parse(t.space as string),
        schedule: JSON.parse(t.schedule as string),
        base: JSON.parse(t.base as string),
        status: t.status as TuningSummary['status'],
        startedAt: t.startedAt as string,
        updatedAt: t.updatedAt as string,
        spentSeconds: t.spentSeconds as number,
        bestTrial: (t.bestTrial as string | null) ?? null,
        bestScore: (t.bestScore as number | null) ?? null,
        bestSettings: t.bestSettings ? JSON.parse(t.bestSettings as string) : null,
        version: (t.version as string | null) ?? null,
      };
    });
  });
}

/**
 * The settings `eior train` starts from for a kind on this data: the best of the newest tuning of that kind on this
 * fingerprint that found one, or null. The EIOR kinds' backbone is UltraGCN with features, so they take the tuned
 * settings of `ultragcn-features` (or of their own kind).
 */
export async function tunedSettings(client: GraphClient, dataset: string, fingerprint: string, models: readonly string[]): Promise<TuningSummary | null> {
  const all = await listTunings(client, dataset);
  return all.find((t) => t.fingerprint === fingerprint && models.includes(t.model) && t.bestSettings !== null && t.status !== 'running') ?? null;
}
