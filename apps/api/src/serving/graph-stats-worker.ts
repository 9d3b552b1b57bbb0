// The graph-statistics worker thread: computes a model version's train-graph statistics (libs/model's
// computeGraphStats, the largest synchronous step of a version load) so that the API's event loop goes on serving
// while they are made. The API thread talks to it through graph-stats-thread: one request message per load, one
// reply; the statistics are typed arrays only, and their buffers are transferred back, not copied.
import { parentPort } from 'node:worker_threads';
import { computeGraphStats, type GraphStats, type GraphStatsOptions } from '@eior/model';

/** What the API thread asks for: the statistics of a train edge list (copies of its arrays). */
export interface GraphStatsRequest {
  id: number;
  numUsers: number;
  numItems: number;
  users: Int32Array;
  items: Int32Array;
  options: GraphStatsOptions;
}

/** The answer to request `id`: the statistics, or the error with its name, message and code (ModelError's survives). */
export type GraphStatsReply = { id: number; ok: true; stats: GraphStats } | { id: number; ok: false; name: string; message: string; code?: string };

/** The buffers of every array of `stats`, for postMessage's transfer list. */
function statsBuffers(stats: GraphStats): ArrayBuffer[] {
  const arrays = [stats.userItems.offsets, stats.userItems.cols, stats.userDegree, stats.itemDegree, stats.betaUser, stats.betaItem, stats.neighbors, stats.neighborWeights];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('graph-stats-worker runs as a worker thread (see graph-stats-thread)');
  port.on('message', (req: GraphStatsRequest) => {
    let reply: GraphStatsReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const stats = computeGraphStats(req.numUsers, req.numItems, { users: req.users, items: req.items }, req.options);
      reply = { id: req.id, ok: true, stats };
      transfer = statsBuffers(stats);
    } catch (err) {
      const e = err as Error & { code?: unknown };
      reply = { id: req.id, ok: false, name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined };
    }
    port.postMessage(reply, transfer);
  });
}

main();
