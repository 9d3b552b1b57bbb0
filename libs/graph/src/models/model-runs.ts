// Model runs in the graph: one (:ModelRun) per trained version, linked to its dataset, so the API and the
// dashboard can list runs and their metrics without reading the artifact folders. Nested values (config,
// metrics, training curve) are stored as JSON strings: Neo4j properties cannot hold maps.
import type { GraphClient } from '../db/client';
import { ensureSchema } from '../db/schema';
import { trainedOnData, type TrainedOn, type TrainedOnRecord } from './trained-on';

/** A lift's interval as a run stores it (@eior/model's LiftInterval). */
type IntervalJson = { low: number; high: number; level: number; resamples: number };

export interface ModelRunRecord {
  dataset: string;
  version: string;
  model: string;
  createdAt: string;
  backend: string;
  protocol: string;
  bestEpoch: number;
  trainingSeconds: number;
  config: Record<string, unknown>;
  /**
   * `popularity`: the popularity list on the same splits in the same run (absent in runs recorded before that), with
   * the intervals of the run's NDCG@20 lift over it per split (@eior/model's LiftInterval, plain JSON here; absent in
   * runs recorded before runs kept them).
   */
  metrics: {
    valid: Record<string, number>;
    test: Record<string, number>;
    popularity?: {
      valid: Record<string, number>;
      test: Record<string, number>;
      liftIntervals?: { valid: IntervalJson | null; test: IntervalJson | null };
    };
  };
  curve: Record<string, unknown>[];
  /**
   * What the version's explanations are worth (@eior/model's ExplanationHealth, plain JSON here); null for runs
   * recorded before runs measured it.
   */
  health: object | null;
  /** The data it was trained on: fingerprint, events and appends at the time (export's `cutoff`). */
  trainedOn: TrainedOnRecord;
}

export interface ModelRunSummary extends Omit<ModelRunRecord, 'trainedOn'> {
  current: boolean;
  /** The data it was trained on against the data now in the graph; null for runs recorded before runs kept it. */
  trainedOn: TrainedOn | null;
}

/** Writes a run (idempotently, keyed by dataset and version) and, if asked, marks it the dataset's current one. */
export async function recordModelRun(client: GraphClient, run: ModelRunRecord, options: { current: boolean }): Promise<void> {
  await ensureSchema(client);
  await client.write(async (tx) => {
    await tx.run(
      `MATCH (d:Dataset {name: $dataset})
       MERGE (r:ModelRun {dataset: $dataset, version: $version})
       ON CREATE SET r.model = $model, r.createdAt = datetime($createdAt), r.backend = $backend, r.protocol = $protocol,
                     r.bestEpoch = toInteger($bestEpoch), r.trainingSeconds = $trainingSeconds,
                     r.config = $config, r.metrics = $metrics, r.curve = $curve, r.health = $health,
                     r.testRecall20 = $testRecall20, r.testNdcg20 = $testNdcg20, r.current = false,
                     r.fingerprint = $trainedOn.fingerprint, r.events = toInteger($trainedOn.events), r.appends = toInteger($trainedOn.appends)
       MERGE (r)-[:TRAINED_ON]->(d)`,
      {
        ...run,
        config: JSON.stringify(run.config),
        metrics: JSON.stringify(run.metrics),
        curve: JSON.stringify(run.curve),
        health: run.health === null ? null : JSON.stringify(run.health),
        testRecall20: run.metrics.test['recall@20'] ?? null,
        testNdcg20: run.metrics.test['ndcg@20'] ?? null,
      },
    );
  });
  if (options.current) await setCurrentModelRun(client, run.dataset, run.version);
}

/**
 * Marks `version` the dataset's one current run. The artifact store's pointer is what the API serves; this keeps
 * the graph's view (the dashboard, BI) in step with it. A version with no recorded run leaves every run not current.
 */
export async function setCurrentModelRun(client: GraphClient, dataset: string, version: string): Promise<void> {
  await client.write(async (tx) => {
    await tx.run('MATCH (r:ModelRun {dataset: $dataset}) SET r.current = (r.version = $version)', { dataset, version });
  });
}

/** The runs of a dataset, newest first. */
export async function listModelRuns(client: GraphClient, dataset: string): Promise<ModelRunSummary[]> {
  return client.read(async (tx) => {
    const res = await tx.run(
      `MATCH (r:ModelRun {dataset: $dataset})
       OPTIONAL MATCH (d:Dataset {name: $dataset})
       RETURN r {.*, createdAt: toString(r.createdAt)} AS r, d {.fingerprint, .fingerprints, .events, .appended, .train, .valid, .test} AS d
       ORDER BY r.version DESC`,
      { dataset },
    );
    return res.records.map((rec) => {
      const r = rec.get('r') as Record<string, unknown>;
      const d = rec.get('d') as Record<string, unknown> | null;
      return {
        dataset: r.dataset as string,
        version: r.version as string,
        model: r.model as string,
        createdAt: r.createdAt as string,
        backend: r.backend as string,
        protocol: r.protocol as string,
        bestEpoch: r.bestEpoch as number,
        trainingSeconds: r.trainingSeconds as number,
        config: JSON.parse(r.config as string),
        metrics: JSON.parse(r.metrics as string),
        curve: JSON.parse(r.curve as string),
        health: typeof r.health === 'string' ? JSON.parse(r.health) : null,
        current: r.current as boolean,
        trainedOn: typeof r.fingerprint === 'string' && d
          ? trainedOnData({ fingerprint: r.fingerprint, events: r.events as number, appends: r.appends as number }, {
              fingerprint: d.fingerprint as string,
              earlierFingerprints: (d.fingerprints as string[] | null) ?? [],
              events: (d.events as number | null) ?? (d.train as number) + (d.valid as number) + (d.test as number),
              appends: ((d.appended as string[] | null) ?? []).length,
            })
          : null,
      };
    });
  });
}
