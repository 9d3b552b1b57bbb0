// The BI side of the API process: the store (embedded PGlite in a worker thread, or the external PostgreSQL of
// EIOR_BI_POSTGRES_URL), the read-only PostgreSQL-protocol endpoint on the embedded one (in that same thread), the
// /export routes, and the publisher.
import type { GraphClient } from '@eior/graph';
import { createBiExportHandler, isWorkerBiStore, type ApiActivity, openExternalBiStore, openWorkerBiStore, startBiSqlServer, type BiExportHandler, type BiSqlServer, type BiStore, type BiThreadPriority } from '../bi';
import type { ThreadSchedule } from '../cpu-schedule';
import type { ApiConfig } from '../config';
import type { DriftService } from '../drift-report/drift-service';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../serving/model-registry';
import { BiPublisher } from './bi-publisher';

export interface RunningBi {
  store: BiStore;
  sqlUrl: string | null;
  exports: BiExportHandler;
  publisher: BiPublisher;
  close(): Promise<void>;
}

/** Recommendations per user in the BI tables. */
const BI_TOP_K = 20;

/** Says how the BI thread is scheduled; a warning when the priority asked for did not take effect. */
function logBiThread(schedule: ThreadSchedule | null, asked: BiThreadPriority, log: Logger): void {
  const tookEffect = !schedule || asked === 'normal' || (asked === 'idle' ? schedule.policy === 'SCHED_IDLE' : schedule.nice === 19);
  if (tookEffect) log.info({ biThread: schedule, asked }, 'BI thread scheduled');
  else log.warn({ biThread: schedule, asked }, `the BI thread did not get priority ${asked} (EIOR_BI_PRIORITY): BI queries take CPU from the API at the schedule shown`);
}

/** `activity`: this process's API requests in flight, which the embedded store's statements wait for (EIOR_BI_YIELD_MS). */
export async function startBi(config: ApiConfig, client: GraphClient, registry: ModelRegistry, drift: DriftService, log: Logger, activity: ApiActivity): Promise<RunningBi> {
  const { bi } = config;
  const yieldTo = bi.yieldMs > 0 ? { yieldTo: { shared: activity.shared, maxWaitMs: bi.yieldMs } } : {};
  const store = bi.postgresUrl ? await openExternalBiStore(bi.postgresUrl) : await openWorkerBiStore({ ...(bi.dataDir ? { dataDir: bi.dataDir } : {}), priority: bi.threadPriority, ...yieldTo });
  if (isWorkerBiStore(store)) logBiThread(store.threadSchedule, bi.threadPriority, log);
  let server: BiSqlServer | null = null;
  try {
    if (!bi.postgresUrl && bi.sqlPort !== null) server = await startBiSqlServer(store, { host: config.host, port: bi.sqlPort });
  } catch (err) {
    await store.close();
    throw err;
  }
  const publisher = new BiPublisher(store, client, registry, drift, { users: bi.recommendationUsers, k: BI_TOP_K, refreshMs: bi.refreshMs, log });
  if (server) log.info({ url: server.url }, 'BI SQL endpoint listening (read-only PostgreSQL protocol)');
  return {
    store,
    sqlUrl: server?.url ?? null,
    exports: createBiExportHandler(store, { onError: (err, requestId) => log.error({ err, requestId }, 'BI export failed') }),
    publisher,
    async close() {
      await publisher.close();
      await server?.close();
      await store.close();
    },
  };
}
