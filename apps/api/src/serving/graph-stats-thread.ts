// The API thread's side of the graph-statistics worker (graph-stats-worker): computeGraphStats run in a thread of its
// own, so that a model load's largest synchronous step does not hold the event loop that answers requests. The
// thread starts on first use, is kept for later loads, and does not keep the process alive while it has no work.
// A thread that fails or exits rejects what it was computing; the next call starts a fresh one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ModelError, type EdgeList, type GraphStats, type GraphStatsOptions, type ModelErrorCode } from '@eior/model';
import type { GraphStatsReply, GraphStatsRequest } from './graph-stats-worker';

type Pending = { resolve: (stats: GraphStats) => void; reject: (err: Error) => void };

/**
 * The compiled worker script: next to this file when running from dist/, else in the package's dist/ (tests run
 * the TypeScript sources; the worker thread runs the build of `tsc -b`).
 */
function workerScript(): string {
  const beside = path.join(__dirname, 'graph-stats-worker.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '..', '..', 'dist', 'serving', 'graph-stats-worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the graph-statistics worker script is missing (looked for ${beside} and ${built}): build the API first (npm run build)`);
}

export class GraphStatsThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private done = 0;

  /** How many statistics this thread has computed. */
  get computed(): number {
    return this.done;
  }

  /** computeGraphStats(numUsers, numItems, train, options), computed in the worker thread. */
  compute(numUsers: number, numItems: number, train: EdgeList, options: GraphStatsOptions): Promise<GraphStats> {
    if (this.closed) return Promise.reject(new Error('the graph-statistics thread is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<GraphStats>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref(); // awaited work keeps the process alive
      this.pending.set(id, { resolve, reject });
      // the edge arrays are copied (the caller keeps using them); only iiNeighborNum and iiDiagonalZero matter here
      const request: GraphStatsRequest = { id, numUsers, numItems, users: train.users, items: train.items, options: { iiNeighborNum: options.iiNeighborNum, iiDiagonalZero: options.iiDiagonalZero } };
      worker.postMessage(request);
    });
  }

  /** Ends the thread; what it was computing is rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new Error('the graph-statistics thread was closed'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(workerScript());
    worker.unref();
    worker.on('message', (reply: GraphStatsReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) {
        this.done++;
        waiting.resolve(reply.stats);
      } else {
        const err = reply.code ? new ModelError(reply.code as ModelErrorCode, reply.message) : new Error(reply.message);
        err.name = reply.name;
        waiting.reject(err);
      }
    });
    const lost = (why: string) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error(`the graph-statistics thread ${why}`));
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
