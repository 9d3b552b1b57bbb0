// The drift report of a dataset's served model: each environment against the rest of the training data, the
// training period against the later splits (when the data has timestamps) and against recorded feedback, α_I of
// the training pairs against α_I of the recommendations served, and the top-K overlap with the previous version.
// Reports cost seconds of CPU, so they are never computed on a request's path: one is built in the background when
// a model starts serving and again on a schedule, one build at a time per process; requests get the last finished
// report with its age (or a state saying none is ready yet).
import { readFeedbackEdges, type FeedbackEdges, type GraphClient } from '@eior/graph';
import { detectDrift, psi } from '../drift';
import type { Logger } from '../logger';
import type { ServedLog } from '../serving/served-log';
import type { ServingModel } from '../serving/serving-model';
import { compare, type DriftComparisonRecord } from './compare';
import { sampleRows, type PairSet } from './drift-samples';
import { PairTable, itemPopularity } from './pair-table';
import { topKOverlap } from './top-k-overlap';

export interface DriftReportRecord {
  dataset: string;
  modelVersion: string;
  computedAt: string;
  /** True when the training interactions carry timestamps (time-window comparisons need them). */
  hasTimestamps: boolean;
  comparisons: DriftComparisonRecord[];
}

/** What a request is told: the last finished report of the dataset (null: none yet) and whether a build is under way. */
export interface DriftState {
  report: DriftReportRecord | null;
  computing: boolean;
}

/** Training pairs scored for a report, at most this many (environment sides are drawn from them). */
const TRAIN_SAMPLE = 20_000;

export class DriftService {
  /** Dataset -> its last finished report (of whichever version was serving then). */
  private readonly finished = new Map<string, DriftReportRecord>();
  /** `dataset|version` -> the build queued or running for it. */
  private readonly building = new Map<string, Promise<DriftReportRecord>>();
  /** Builds run one after another: two at once would only share the same CPU with requests. */
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: GraphClient,
    private readonly served: ServedLog,
    private readonly modelsDir: string,
    private readonly log?: Logger,
  ) {}

  /** Rebuilds the reports of `models()` every `intervalMs` (0: never; builds after model loads still happen). */
  start(models: () => ServingModel[], intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      for (const model of models()) this.refresh(model).catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Builds a new report of `model` in the background (joining one queued or running for it); it becomes the dataset's. */
  refresh(model: ServingModel): Promise<DriftReportRecord> {
    const key = `${model.dataset}|${model.version}`;
    const running = this.building.get(key);
    if (running) return running;
    const started = Date.now();
    const build = this.queue.then(() => this.build(model));
    this.queue = build.catch(() => undefined);
    this.building.set(key, build);
    build.then(
      (report) => {
        const last = this.finished.get(model.dataset);
        if (!last || last.computedAt <= report.computedAt) this.finished.set(model.dataset, report);
        this.log?.info({ dataset: model.dataset, version: model.version, seconds: (Date.now() - started) / 1000 }, 'drift report built');
      },
      (err: unknown) => this.log?.warn({ err, dataset: model.dataset, version: model.version }, 'drift report not built'),
    ).finally(() => this.building.delete(key));
    return build;
  }

  /** The dataset's last finished report and whether one is being built: what a request gets, at once. */
  state(dataset: string): DriftState {
    const computing = [...this.building.keys()].some((k) => k.startsWith(`${dataset}|`));
    return { report: this.finished.get(dataset) ?? null, computing };
  }

  /** The last finished report of this very version, built first when there is none (for background work: BI). */
  report(model: ServingModel): Promise<DriftReportRecord> {
    const last = this.finished.get(model.dataset);
    return last && last.modelVersion === model.version ? Promise.resolve(last) : this.refresh(model);
  }

  private async build(model: ServingModel): Promise<DriftReportRecord> {
    const feedback: FeedbackEdges = await readFeedbackEdges(this.client, model.dataset);
    const { data } = model;
    const trainRows = sampleRows(data.train.users.length, TRAIN_SAMPLE, 7);
    const later = concat(data.valid, data.test);
    // one table: the train sample, then the later splits, then feedback
    const parts: PairSet[] = [pairsOf(data.train, trainRows), later, feedback];
    const table = new PairTable(model, concat(...parts), itemPopularity(model));
    await table.prepare();
    const range = (p: number) => {
      const start = parts.slice(0, p).reduce((s, x) => s + x.users.length, 0);
      return Int32Array.from({ length: parts[p].users.length }, (_, k) => start + k);
    };
    const trainSide = range(0);
    const comparisons: DriftComparisonRecord[] = [];
    const env = model.edgeEnvironment;
    if (env) {
      const ids = [...new Set(Array.from(trainRows, (r) => env[r]))].filter((e) => e >= 0).sort((a, b) => a - b);
      for (const e of ids) {
        const inside = trainSide.filter((_, k) => env[trainRows[k]] === e);
        const outside = trainSide.filter((_, k) => env[trainRows[k]] !== e);
        if (inside.length && outside.length) {
          comparisons.push(await compare(table, { kind: 'environment', name: `environment ${e} vs the rest`, reference: 'training interactions of the other environments', current: `training interactions of environment ${e}`, referenceRows: cap(outside, 11 + e), currentRows: cap(inside, 31 + e) }));
        }
      }
    }
    const ts = data.trainTimestamps;
    const hasTimestamps = ts !== undefined && Array.from(ts).some((t) => Number.isFinite(t) && t !== 0);
    if (hasTimestamps && later.users.length) {
      comparisons.push(await compare(table, { kind: 'time-window', name: 'training period vs later period', reference: 'training split', current: 'validation and test splits (later in time)', referenceRows: cap(trainSide, 3), currentRows: cap(range(1), 5) }));
    }
    if (feedback.users.length) {
      comparisons.push(await compare(table, { kind: 'time-window', name: 'training data vs recorded feedback', reference: 'training split', current: `${feedback.users.length} interactions recorded through the API`, referenceRows: cap(trainSide, 3), currentRows: cap(range(2), 9) }));
    }
    const servedWeights = this.served.rows(model.dataset).filter((r) => r.version === model.version && r.invariantWeight !== null).map((r) => r.invariantWeight as number);
    const trainWeights = table.invariantWeight(cap(trainSide, 13));
    if (servedWeights.length && trainWeights) comparisons.push(servedComparison(model, trainWeights, Float64Array.from(servedWeights)));
    const overlap = await topKOverlap(model, this.modelsDir);
    if (overlap) comparisons.push(overlap);
    return { dataset: model.dataset, modelVersion: model.version, computedAt: new Date().toISOString(), hasTimestamps, comparisons };
  }
}

function servedComparison(model: ServingModel, train: Float64Array, served: Float64Array): DriftComparisonRecord {
  const r = detectDrift(train, served);
  const p = psi(train, served);
  return {
    kind: 'served',
    name: 'α_I of training pairs vs served recommendations',
    reference: `α_I over ${train.length} training pairs of model ${model.version}`,
    current: `α_I over the last ${served.length} recommendations served by this process`,
    referenceSize: train.length,
    currentSize: served.length,
    driftedShare: r.drifted ? 1 : 0,
    drifted: r.drifted,
    values: [{ subject: 'invariant-weight', modality: null, detail: null, method: r.method, value: r.value, threshold: r.threshold, drifted: r.drifted, referenceSize: r.referenceSize, currentSize: r.currentSize, psi: p.value, psiBand: p.band }],
    columns: [],
  };
}

/** At most 5,000 of `rows` (seeded). */
function cap(rows: Int32Array, seed: number): Int32Array {
  return Int32Array.from(sampleRows(rows.length, undefined, seed), (k) => rows[k]);
}

function pairsOf(edges: PairSet, rows: Int32Array): PairSet {
  return { users: Int32Array.from(rows, (k) => edges.users[k]), items: Int32Array.from(rows, (k) => edges.items[k]) };
}

function concat(...sets: PairSet[]): PairSet {
  const n = sets.reduce((s, p) => s + p.users.length, 0);
  const out = { users: new Int32Array(n), items: new Int32Array(n) };
  let at = 0;
  for (const p of sets) {
    out.users.set(p.users, at);
    out.items.set(p.items, at);
    at += p.users.length;
  }
  return out;
}

