// The BI worker thread: owns the embedded PGlite store and its PostgreSQL-protocol endpoint, so that BI queries
// (PGlite runs each one synchronously, start to end) take this thread's time, not the API's. The thread lowers its
// own scheduling priority (SCHED_IDLE by default, thread-priority.ts), so that on a busy machine a heavy BI query gets
// the CPU the API leaves over instead of sharing it with the API's threads. The API thread talks to it through
// bi-worker-store: one request message per store call, one reply each; rows to publish arrive in chunks first.
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBiStore, type EmbeddedBiStore, type EmbeddedBiStoreOptions } from './bi-embedded-store';
import { startBiSqlServer, type BiSqlServer, type BiSqlServerOptions } from './bi-server';
import type { ThreadSchedule } from '../cpu-schedule';
import { setThisThreadPriority, type BiThreadPriority } from './thread-priority';

/** What the API thread asks for. */
export type BiWorkerRequest =
  | { id: number; op: 'stageRows'; stage: number; rows: Record<string, unknown>[] }
  | { id: number; op: 'replaceRows'; table: string; dataset: string; stage: number }
  | { id: number; op: 'dropStage'; stage: number }
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'listen'; options: BiSqlServerOptions }
  | { id: number; op: 'closeServer'; port: number }
  | { id: number; op: 'close' };

/** The answer to request `id`: a value, or the error with its name, message and code (BI_BUSY survives). */
export type BiWorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string; code?: string };

/** What the worker is started with. */
export interface BiWorkerData {
  store: EmbeddedBiStoreOptions;
  priority: BiThreadPriority;
}

/** The worker's first message: the store opened (with the thread's schedule as it took effect) or why not. */
export type BiWorkerReady = { ready: true; schedule: ThreadSchedule | null } | { ready: false; message: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('bi-worker runs as a worker thread (see bi-worker-store)');
  const data = workerData as BiWorkerData;
  const schedule = setThisThreadPriority(data.priority);
  let store: EmbeddedBiStore;
  try {
    store = await openEmbeddedBiStore(data.store);
  } catch (err) {
    port.postMessage({ ready: false, message: (err as Error).message } satisfies BiWorkerReady);
    return;
  }
  const servers = new Map<number, BiSqlServer>();
  /** Rows of replaceRows calls in transit, by stage id: chunks appended in arrival order. */
  const stages = new Map<number, Record<string, unknown>[]>();

  async function handle(req: BiWorkerRequest): Promise<unknown> {
    switch (req.op) {
      case 'stageRows': {
        const rows = stages.get(req.stage) ?? [];
        for (const row of req.rows) rows.push(row);
        stages.set(req.stage, rows);
        return undefined;
      }
      case 'dropStage':
        stages.delete(req.stage);
        return undefined;
      case 'replaceRows': {
        const rows = stages.get(req.stage) ?? [];
        stages.delete(req.stage);
        return store.replaceRows(req.table, req.dataset, rows);
      }
      case 'query':
        return store.query(req.sql, req.params);
      case 'listen': {
        const server = await startBiSqlServer(store, req.options);
        servers.set(server.port, server);
        return { port: server.port, url: server.url };
      }
      case 'closeServer':
        await servers.get(req.port)?.close();
        servers.delete(req.port);
        return undefined;
      case 'close':
        await Promise.all([...servers.values()].map((s) => s.close()));
        servers.clear();
        await store.close();
        return undefined;
    }
  }

  port.on('message', (req: BiWorkerRequest) => {
    handle(req).then(
      (value) => port.postMessage({ id: req.id, ok: true, value } satisfies BiWorkerReply),
      (err: Error & { code?: unknown }) =>
        port.postMessage({ id: req.id, ok: false, name: err.name, message: err.message, code: typeof err.code === 'string' ? err.code : undefined } satisfies BiWorkerReply),
    );
  });
  port.postMessage({ ready: true, schedule } satisfies BiWorkerReady);
}

void main();
