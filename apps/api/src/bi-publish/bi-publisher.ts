// Keeps the BI tables current: a dataset's tables are rewritten (each table's rows of that dataset replaced in one
// transaction, so a BI tool never sees half a table) when its model is loaded or swapped, and every `refreshMs`
// for the parts that move without a new model (drift, interactions per day, model runs). Publishing runs in the
// background, one dataset at a time; a failure is logged and retried at the next refresh.
import { listDatasets, listModelRuns, type GraphClient } from '@eior/graph';
import { BiSessionBusyError, type BiStore } from '../bi';
import type { DriftService } from '../drift-report/drift-service';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../serving/model-registry';
import type { ServingModel } from '../serving/serving-model';
import { driftRows, environmentRows, interactionsPerDayRows, modelVersionRows, recommendationRows, type Row } from './bi-rows';

export interface BiPublisherOptions {
  /** Users per dataset whose top recommendations are written. */
  users: number;
  /** Recommendations per user. */
  k: number;
  refreshMs: number;
  log: Logger;
}

export class BiPublisher {
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: BiStore,
    private readonly client: GraphClient,
    private readonly registry: ModelRegistry,
    private readonly drift: DriftService,
    private readonly options: BiPublisherOptions,
  ) {}

  /** Publishes every dataset that has a model now, and again every refreshMs. */
  start(): void {
    void this.publishAll();
    if (this.options.refreshMs > 0) {
      this.timer = setInterval(() => void this.publishAll(), this.options.refreshMs);
      this.timer.unref();
    }
  }

  /** Publishes one model's dataset (queued behind any publishing in progress); resolves when written. */
  publish(model: ServingModel): Promise<void> {
    this.queue = this.queue.then(() => this.write(model)).catch((err: unknown) => {
      this.options.log.warn({ err, dataset: model.dataset }, 'BI tables not updated; retried at the next refresh');
    });
    return this.queue;
  }

  /** Waits for what is queued. */
  idle(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
  }

  private async publishAll(): Promise<void> {
    let datasets: { name: string; status: string }[];
    try {
      datasets = await listDatasets(this.client);
    } catch (err) {
      this.options.log.warn({ err }, 'BI refresh: cannot list datasets');
      return;
    }
    for (const d of datasets.filter((x) => x.status === 'complete')) {
      const loaded = this.registry.peek(d.name);
      if (loaded) await this.publish(loaded);
      // loading publishes through the registry's onServing; a dataset without a model has no rows yet
      else await this.registry.get(d.name).catch(() => null);
    }
  }

  private async write(model: ServingModel): Promise<void> {
    if (this.closed) return;
    const started = performance.now();
    const { dataset } = model;
    const recs = await recommendationRows(model, this.options.users, this.options.k);
    const runs = await listModelRuns(this.client, dataset);
    const tables: [string, Row[]][] = [
      ['model_versions', modelVersionRows(runs, dataset)],
      ['environments', await environmentRows(this.client, dataset, runs)],
      ['recommendations', recs.recommendations],
      ['recommendation_modalities', recs.modalities],
      ['drift_metrics', driftRows(await this.drift.report(model))],
      ['interactions_per_day', await interactionsPerDayRows(this.client, dataset)],
    ];
    for (const [table, rows] of tables) await this.replace(table, dataset, rows);
    this.options.log.info({ dataset, version: model.version, rows: tables.reduce((s, [, r]) => s + r.length, 0), seconds: (performance.now() - started) / 1000 }, 'BI tables published');
  }

  private async replace(table: string, dataset: string, rows: Row[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.replaceRows(table, dataset, rows);
      } catch (err) {
        if (!(err instanceof BiSessionBusyError) || attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 1_000 * attempt)); // a BI client holds the session: wait our turn
      }
    }
  }
}
