// The models the API serves, one current version per dataset, loaded on first use and swapped atomically when a
// newer version becomes current: the new one is loaded and checked beside the old, then one reference changes.
// Requests that started on the old version finish on it; it is disposed after a grace period longer than the
// request timeout. A version that fails to load is refused (and reported), and the old one keeps serving.
// Dataset names reach here checked (security/dataset-access.ts); why a load failed goes to the log, not to clients.
import { requireDataset, type GraphClient } from '@eior/graph';
import { ApiError, fromLibError } from '../errors';
import type { Logger } from '../logger';
import { GraphStatsThread } from './graph-stats-thread';
import { priorityLane } from '../priority-lane';
import { artifactStoreFor, loadServingModel, type LoadOptions } from './load-serving-model';
import type { ServingModel } from './serving-model';
import { VersionLoadLimiter, type VersionLoadLimits } from './version-loads';

/** Non-serving versions kept loaded for comparisons. */
export const OTHER_VERSIONS = 2;

export interface RegistryOptions {
  client: GraphClient;
  modelsDir: string;
  /** How often to look for a new current version, ms (0: never; `refresh()` still works). */
  pollMs: number;
  /** How long a replaced model stays usable for requests that started on it, ms. */
  graceMs: number;
  log: Logger;
  /** Called with each model once it serves (first load and every swap). */
  onServing?: (model: ServingModel) => void;
  /** Limits on loading versions other than the served ones (defaults: DEFAULT_VERSION_LOAD_LIMITS). */
  versionLoads?: VersionLoadLimits;
}

export interface RefusedVersion {
  dataset: string;
  version: string;
  reason: string;
  at: Date;
}

export class ModelRegistry {
  private readonly serving = new Map<string, ServingModel>();
  private readonly pending = new Map<string, Promise<ServingModel>>();
  private readonly refusedVersions = new Map<string, RefusedVersion>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly retiring = new Set<NodeJS.Timeout>();
  /** Versions other than the serving ones, loaded for comparisons: the most recently asked for last. */
  private readonly others = new Map<string, Promise<ServingModel>>();
  private readonly limiter: VersionLoadLimiter;
  /** Computes each load's graph statistics off the event loop. */
  private readonly statsThread = new GraphStatsThread();
  /** Every load: statistics in the thread, each synchronous step after the priority requests in flight. */
  private readonly loadOptions: LoadOptions = { statsThread: this.statsThread, giveWay: () => priorityLane.giveWay() };

  constructor(private readonly options: RegistryOptions) {
    this.limiter = new VersionLoadLimiter(options.versionLoads);
  }

  /** Where the versions of every dataset live: <modelsDir>/<dataset>. */
  get modelsDir(): string {
    return this.options.modelsDir;
  }

  start(): void {
    if (this.options.pollMs > 0 && !this.timer) {
      this.timer = setInterval(() => void this.refresh(), this.options.pollMs);
      this.timer.unref();
    }
  }

  /** The dataset's current model, loading it on first use; MODEL_NOT_READY when it has none that loads. */
  async get(dataset: string): Promise<ServingModel> {
    const ready = this.serving.get(dataset);
    if (ready) return ready;
    let loading = this.pending.get(dataset);
    if (!loading) {
      loading = this.loadCurrent(dataset).finally(() => this.pending.delete(dataset));
      this.pending.set(dataset, loading);
    }
    return loading;
  }

  /**
   * A given version of a dataset's model (for side-by-side comparisons): the serving one when it is that version,
   * else loaded on demand and kept among the last OTHER_VERSIONS asked for. NOT_FOUND for a version that does not
   * exist, MODEL_NOT_READY for one that does not load, TOO_MANY_REQUESTS when `clientId` has loaded too many
   * lately or the load queue is full. The served versions are never evicted to make room.
   */
  async version(dataset: string, version: string, clientId = 'internal'): Promise<ServingModel> {
    const current = await this.get(dataset);
    if (current.version === version) return current;
    const key = `${dataset}\u0000${version}`;
    let loading = this.others.get(key);
    if (!loading) {
      const store = artifactStoreFor(this.options.modelsDir, dataset);
      // a version that does not exist costs one file read, not a load (nor the client's allowance)
      if (!(await store.manifest(version).then(() => true, () => false))) {
        throw new ApiError('NOT_FOUND', `dataset '${dataset}' has no model version ${JSON.stringify(version)} (see \`models(dataset)\`)`, { value: version });
      }
      loading = this.others.get(key); // another request may have started it meanwhile
    }
    if (!loading) {
      loading = this.limiter.run(clientId, `version ${version} of '${dataset}'`, async () => {
        const model = await loadServingModel(this.options.client, this.options.modelsDir, dataset, version, this.loadOptions);
        this.options.log.info({ dataset, version, loadSeconds: model.loadSeconds, loadStepsMs: model.loadSteps }, 'model version loaded for comparison');
        return model;
      }).catch((err: unknown) => {
        this.others.delete(key);
        const known = fromLibError(err);
        if (known?.code === 'TOO_MANY_REQUESTS' || known?.code === 'BAD_USER_INPUT') throw known;
        this.options.log.warn({ err, dataset, version }, 'model version not loaded for comparison');
        throw notReady(dataset, `version ${version} cannot be loaded (the server log says why)`);
      });
      this.others.set(key, loading);
      if (this.others.size > OTHER_VERSIONS) {
        const [oldest, evicted] = this.others.entries().next().value as [string, Promise<ServingModel>];
        this.others.delete(oldest);
        void evicted.then((m) => this.retire(m), () => undefined);
      }
    } else {
      this.others.delete(key); // re-insert: Map order is the LRU order
      this.others.set(key, loading);
    }
    return this.limiter.awaitLoad(loading, `version ${version} of '${dataset}'`);
  }

  /** The model serving a dataset now, without loading (null when none is loaded). */
  peek(dataset: string): ServingModel | null {
    return this.serving.get(dataset) ?? null;
  }

  refused(dataset: string): RefusedVersion | null {
    return this.refusedVersions.get(dataset) ?? null;
  }

  loaded(): ServingModel[] {
    return [...this.serving.values()];
  }

  /** Looks for a new current version of every loaded dataset and swaps to it when it loads. */
  refresh(): Promise<void> {
    this.refreshing ??= this.refreshAll().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refreshing;
    for (const t of this.retiring) clearTimeout(t);
    this.retiring.clear();
    for (const model of this.serving.values()) model.dispose();
    this.serving.clear();
    for (const other of this.others.values()) void other.then((m) => m.dispose(), () => undefined);
    this.others.clear();
    await this.statsThread.close();
  }

  private async refreshAll(): Promise<void> {
    for (const [dataset, old] of [...this.serving]) {
      let version: string | null;
      try {
        version = await artifactStoreFor(this.options.modelsDir, dataset).current();
      } catch (err) {
        this.refuse(dataset, '(unreadable pointer)', err);
        continue;
      }
      if (!version || version === old.version || this.refusedVersions.get(dataset)?.version === version) continue;
      try {
        const next = await loadServingModel(this.options.client, this.options.modelsDir, dataset, version, this.loadOptions);
        this.serving.set(dataset, next); // the swap: one reference
        this.refusedVersions.delete(dataset);
        this.retire(old);
        this.options.log.info({ dataset, from: old.version, to: next.version, loadSeconds: next.loadSeconds, loadStepsMs: next.loadSteps }, 'model swapped');
        this.options.onServing?.(next);
      } catch (err) {
        this.refuse(dataset, version, err);
      }
    }
  }

  private async loadCurrent(dataset: string): Promise<ServingModel> {
    const version = await artifactStoreFor(this.options.modelsDir, dataset).current().catch((err: unknown) => {
      this.options.log.warn({ err, dataset }, 'current-version pointer not readable');
      throw notReady(dataset, 'its current-version pointer cannot be read (the server log says why)');
    });
    if (!version) {
      await requireDataset(this.options.client, dataset).catch((err: unknown) => {
        const known = fromLibError(err);
        // the lib's NOT_FOUND names every dataset in the graph: not for clients
        throw known?.code === 'NOT_FOUND' ? new ApiError('NOT_FOUND', `dataset ${JSON.stringify(dataset)} is not in the graph (see \`datasets\`)`, { value: dataset }) : (known ?? err);
      });
      throw notReady(dataset, `it has no trained model: run \`eior train --dataset ${dataset}\``);
    }
    try {
      const model = await loadServingModel(this.options.client, this.options.modelsDir, dataset, version, this.loadOptions);
      this.serving.set(dataset, model);
      this.options.log.info({ dataset, version, loadSeconds: model.loadSeconds, loadStepsMs: model.loadSteps }, 'model loaded');
      this.options.onServing?.(model);
      return model;
    } catch (err) {
      this.refuse(dataset, version, err);
      throw notReady(dataset, `its current model ${version} cannot be served (the server log says why)`);
    }
  }

  private refuse(dataset: string, version: string, err: unknown): void {
    const reason = (err as Error)?.message ?? String(err);
    this.refusedVersions.set(dataset, { dataset, version, reason, at: new Date() });
    this.options.log.warn({ dataset, version, reason }, 'model version refused; the previous one keeps serving');
  }

  private retire(model: ServingModel): void {
    const t = setTimeout(() => {
      this.retiring.delete(t);
      model.dispose();
    }, this.options.graceMs);
    t.unref();
    this.retiring.add(t);
  }
}

function notReady(dataset: string, why: string): ApiError {
  return new ApiError('MODEL_NOT_READY', `dataset '${dataset}' has no model to serve: ${why}`);
}
