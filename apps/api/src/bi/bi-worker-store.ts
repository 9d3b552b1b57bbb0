// The embedded BI store as the API thread sees it: the PGlite database and its SQL endpoint live in a worker thread
// (bi-worker), so a heavy BI query runs beside the API, not in its event loop; store calls travel as messages.
// Rows to publish travel in chunks with a turn of the event loop between them: copying a table's 20,000 rows into
// one message held the API thread for 90 to 440 ms on a shared 2-core machine (npm run bench:bi-publish).
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { EmbeddedBiStoreOptions } from './bi-embedded-store';
import { BiSessionBusyError } from './bi-session';
import type { BiSqlServer, BiSqlServerOptions } from './bi-server';
import type { BiStore } from './bi-store';
import type { BiWorkerData, BiWorkerReady, BiWorkerReply, BiWorkerRequest } from './bi-worker';
import type { ThreadSchedule } from '../cpu-schedule';
import type { BiThreadPriority } from './thread-priority';

/** Rows per message to the worker: a few ms of copying on the API thread (a 14-column row cost 5 to 20 µs). */
export const ROWS_PER_MESSAGE = 250;

export interface WorkerBiStoreOptions extends EmbeddedBiStoreOptions {
  /** The BI thread's CPU priority (default idle: only the CPU the process's other threads leave). */
  priority?: BiThreadPriority;
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };
type Request = BiWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The compiled worker script: next to this file when running from dist/, else in the package's dist/ (tests run
 * the TypeScript sources; the worker thread runs the build of `tsc -b`).
 */
function workerScript(): string {
  const beside = path.join(__dirname, 'bi-worker.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'bi', 'bi-worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the BI worker script is missing (looked for ${beside} and ${built}): build the API first (npm run build)`);
}

export class WorkerBiStore implements BiStore {
  private nextId = 1;
  private nextStage = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    /** How the BI thread is scheduled, as read back from /proc after it set its priority (null: not Linux). */
    readonly threadSchedule: ThreadSchedule | null,
  ) {
    worker.on('message', (reply: BiWorkerReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) {
        waiting.resolve(reply.value);
      } else {
        const err = reply.code === 'BI_BUSY' ? new BiSessionBusyError(reply.message) : Object.assign(new Error(reply.message), { name: reply.name, code: reply.code });
        waiting.reject(err);
      }
    });
    worker.on('error', (err) => this.failAll(new Error(`the BI worker thread failed: ${err.message}`)));
    worker.on('exit', (code) => this.failAll(new Error(`the BI worker thread exited (code ${code})`)));
  }

  /** Starts the worker thread and opens the store in it (creating the database when needed). */
  static async open(options: WorkerBiStoreOptions = {}): Promise<WorkerBiStore> {
    const script = workerScript();
    // libuv starts its thread pool (fs, dns, zlib) at the first request, with the priority of the thread that makes
    // it: make one here, so that the pool is not started by the low-priority BI thread and the API's file reads do
    // not wait on threads that run only when the machine is idle
    await access(script);
    const { priority = 'idle', ...store } = options;
    const worker = new Worker(script, { workerData: { store, priority } satisfies BiWorkerData });
    const ready = await new Promise<BiWorkerReady>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the BI worker thread exited during start (code ${code})`)));
    });
    if (!ready.ready) {
      await worker.terminate();
      throw new Error(`the embedded BI store did not open: ${ready.message}`);
    }
    return new WorkerBiStore(worker, ready.schedule);
  }

  /** Sends the rows ROWS_PER_MESSAGE at a time, yielding between chunks, then replaces the table's rows in one transaction. */
  async replaceRows(table: string, dataset: string, rows: Record<string, unknown>[]): Promise<void> {
    const stage = this.nextStage++;
    try {
      const staged: Promise<unknown>[] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
        if (i > 0) await nextTurn();
        staged.push(this.call({ op: 'stageRows', stage, rows: rows.slice(i, i + ROWS_PER_MESSAGE) }));
      }
      await Promise.all(staged);
    } catch (err) {
      await this.call({ op: 'dropStage', stage }).catch(() => undefined);
      throw err;
    }
    await this.call({ op: 'replaceRows', table, dataset, stage });
  }

  query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.call({ op: 'query', sql, params }) as Promise<Record<string, unknown>[]>;
  }

  /** Starts the read-only PostgreSQL-protocol endpoint in the worker (see bi-server). */
  async serveSql(options: BiSqlServerOptions): Promise<BiSqlServer> {
    const { port, url } = (await this.call({ op: 'listen', options })) as { port: number; url: string };
    return { port, url, close: async () => void (await this.call({ op: 'closeServer', port }).catch(() => undefined)) };
  }

  /** Closes the endpoints and the store, then ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }

  private call(request: Request): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the BI store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private failAll(err: Error): void {
    this.closed = true;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}

export function isWorkerBiStore(store: BiStore): store is WorkerBiStore {
  return store instanceof WorkerBiStore;
}

/** Opens the embedded BI store in its own worker thread. */
export function openWorkerBiStore(options: WorkerBiStoreOptions = {}): Promise<WorkerBiStore> {
  return WorkerBiStore.open(options);
}
