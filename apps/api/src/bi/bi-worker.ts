// The BI worker thread: owns the embedded PGlite store and its PostgreSQL-protocol endpoint, so that BI queries
// (PGlite runs each one synchronously, start to end) take this thread's time, not the API's. The thread lowers its
// own scheduling priority (nice 19, Linux), so that on a busy machine a heavy BI query gets the CPU the API leaves
// over instead of sharing it equally with the API's threads. The API thread talks to it through bi-worker-store:
// one request message per store call, one reply each.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedBiStore, type EmbeddedBiStore, type EmbeddedBiStoreOptions } from './bi-embedded-store';
import { startBiSqlServer, type BiSqlServer, type BiSqlServerOptions } from './bi-server';

/** What the API thread asks for. */
export type BiWorkerRequest =
  | { id: number; op: 'replaceRows'; table: string; dataset: string; rows: Record<string, unknown>[] }
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'listen'; options: BiSqlServerOptions }
  | { id: number; op: 'closeServer'; port: number }
  | { id: number; op: 'close' };

/** The answer to request `id`: a value, or the error with its name, message and code (BI_BUSY survives). */
export type BiWorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string; code?: string };

/** The nice value of the BI thread: the lowest priority; CFS still gives it every idle cycle. */
const BI_THREAD_NICE = 19;

/** Lowers this thread's priority (Linux: setpriority takes a thread id); elsewhere the thread keeps the process's. */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop()); // '<pid>/task/<tid>'
    setPriority(tid, BI_THREAD_NICE);
  } catch {
    // no /proc/thread-self (not Linux) or not permitted: BI queries compete with the API at its priority
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('bi-worker runs as a worker thread (see bi-worker-store)');
  lowerThreadPriority();
  let store: EmbeddedBiStore;
  try {
    store = await openEmbeddedBiStore(workerData as EmbeddedBiStoreOptions);
  } catch (err) {
    port.postMessage({ ready: false, message: (err as Error).message });
    return;
  }
  const servers = new Map<number, BiSqlServer>();

  async function handle(req: BiWorkerRequest): Promise<unknown> {
    switch (req.op) {
      case 'replaceRows':
        return store.replaceRows(req.table, req.dataset, req.rows);
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
  port.postMessage({ ready: true });
}

void main();
