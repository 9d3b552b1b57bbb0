// `eior serve --workers N`: N processes share the API's port (node:cluster hands each new connection to one), so
// scoring and GraphQL use every core. Each worker loads the models itself. The BI store, its SQL port and the
// publisher live in worker 1 only; the others pass /export requests to worker 1 over a private loopback port, and
// tell it (through the primary) when their GraphQL requests begin and end, as its BI thread waits for them.
// With a priority worker (EIOR_API_PRIORITY_WORKER, on by default) the primary is the front instead (@eior/api's
// startFront): workers listen on loopback ports of their own, one more worker (index N + 1, BI off) gets the cheap
// reads of the served models, and the N that take the rest run MIX_WORKER_NICE_OFFSET nice levels lower.
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { startApi, startFront, type ApiConfig, type Logger, type RunningApi, type RunningFront } from '@eior/api';
import type { GraphClient } from '@eior/graph';
import { ActivityRelay, type ActivityDelta } from './activity-relay';
import { lowerPriority, MIX_WORKER_NICE_OFFSET } from './lower-priority';

/** What a worker tells the primary once it serves. */
export interface WorkerReady {
  type: 'ready';
  index: number;
  port: number;
  backend: string;
  /** Worker 1: the BI SQL URL and the private port of its exports. */
  sqlUrl?: string | null;
  exportsPort?: number;
}

interface ExportsAt {
  type: 'exports';
  url: string;
}

/** A GraphQL request began (+1) or ended (-1) in a worker other than worker 1. */
interface RequestActivity {
  type: 'activity';
  delta: ActivityDelta;
}

/** A port that is free now (workers asked to listen on port 0 would each get a port of their own). */
export async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen({ host, port: 0, exclusive: true }, () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The front's settings, when the primary routes requests to a priority worker and the mix workers. */
export interface FrontSettings {
  host: string;
  maxBodyBytes: number;
  log: Logger;
}

/**
 * In the primary: forks the workers on `port` and resolves once all serve, with worker 1's report. With `front`,
 * forks `count` mix workers and one priority worker behind a front on `port` (then the port is the front's).
 */
export async function startWorkers(count: number, port: number, env: NodeJS.ProcessEnv, front: FrontSettings | null = null): Promise<{ first: WorkerReady; workers: Worker[]; stop(): Promise<void> }> {
  // a larger young generation: a request allocates a few hundred KB, and fewer scavenges mean fewer pauses in the tail
  const flag = '--max-semi-space-size=64';
  const execArgv = process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) ? process.execArgv : [...process.execArgv, flag];
  cluster.setupPrimary({ execArgv });
  const workers: Worker[] = [];
  const ready: WorkerReady[] = [];
  const relay = new ActivityRelay();
  const token = randomBytes(24).toString('hex');
  const processes = front ? count + 1 : count;
  const mixNice = os.getPriority() + MIX_WORKER_NICE_OFFSET;
  const all = new Promise<void>((resolve, reject) => {
    for (let index = 1; index <= processes; index++) {
      const behindFront = front ? { EIOR_API_PORT: '0', EIOR_API_HOST: '127.0.0.1', EIOR_API_FRONT_TOKEN: token } : { EIOR_API_PORT: String(port) };
      const worker = cluster.fork({ ...env, ...behindFront, EIOR_API_WORKER: String(index), ...(index > 1 ? { EIOR_BI: 'off' } : {}) });
      workers.push(worker);
      // the mix workers' threads now, and again once serving (threads started later inherit from their starter)
      if (front && index <= count) worker.once('online', () => lowerPriority(worker.process.pid!, mixNice));
      worker.on('message', (m: WorkerReady | RequestActivity) => {
        if (m?.type === 'activity') {
          workers[0].send({ type: 'activity', delta: relay.report(index, m.delta) } satisfies RequestActivity);
          return;
        }
        if (m?.type !== 'ready') return;
        if (front && index <= count) lowerPriority(worker.process.pid!, mixNice);
        ready.push(m);
        if (ready.length === processes) resolve();
      });
      worker.on('exit', (code) => {
        // its requests in flight end with it, or worker 1's BI thread would wait on them to its cap from now on
        for (const delta of relay.exited(index)) if (!workers[0].isDead()) workers[0].send({ type: 'activity', delta } satisfies RequestActivity);
        if (ready.length < processes) reject(new Error(`API worker ${index} exited with code ${code} before serving (see its messages above)`));
      });
    }
  });
  await all;
  const first = ready.find((r) => r.index === 1)!;
  if (first.exportsPort) {
    const message: ExportsAt = { type: 'exports', url: `http://127.0.0.1:${first.exportsPort}` };
    for (const w of workers) w.send(message);
  }
  let running: RunningFront | null = null;
  if (front) {
    const portOf = (w: Worker) => (w.isDead() ? null : (ready.find((r) => r.index === workers.indexOf(w) + 1)?.port ?? null));
    const upstreams = () => ({ priority: portOf(workers[count]), mix: workers.slice(0, count).map(portOf).filter((p): p is number => p !== null) });
    running = await startFront({ host: front.host, port, maxBodyBytes: front.maxBodyBytes, upstreams, token, log: front.log });
  }
  return {
    first: running ? { ...first, port: running.port } : first,
    workers,
    async stop() {
      // the front first: requests in flight finish through the workers, then the workers stop
      await running?.close();
      await Promise.all(
        workers.map((w) => new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          w.once('exit', () => resolve());
          w.process.kill('SIGTERM');
        })),
      );
    },
  };
}

/** In a worker: serves, reports to the primary, and returns what to close on SIGTERM. */
export async function runWorker(client: GraphClient, config: ApiConfig): Promise<{ api: RunningApi; close(): Promise<void> }> {
  const index = Number(process.env.EIOR_API_WORKER);
  let exportsUrl: string | null = null;
  let api: RunningApi | null = null;
  process.on('message', (m: ExportsAt | RequestActivity) => {
    if (m?.type === 'exports') exportsUrl = m.url;
    if (m?.type === 'activity') api?.activity.other(m.delta);
  });
  const tellWorker1 = (delta: ActivityDelta) => process.send!({ type: 'activity', delta } satisfies RequestActivity);
  const frontToken = process.env.EIOR_API_FRONT_TOKEN;
  api = await startApi({ client, config, exportsUpstream: () => exportsUrl, ...(index > 1 ? { onGraphqlRequest: tellWorker1 } : {}), ...(frontToken ? { front: { token: frontToken } } : {}) });
  let exportsServer: ReturnType<typeof createServer> | null = null;
  if (api.bi) {
    const handler = api.bi.exports;
    exportsServer = createServer((req, res) => {
      void handler(req, res, new URL(req.url ?? '/', 'http://localhost')).then((done) => {
        if (!done) res.writeHead(404).end();
      });
    });
    // exclusive: a port of this worker's own, not shared through the primary like the API's
    await new Promise<void>((resolve) => exportsServer!.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve()));
  }
  const ready: WorkerReady = {
    type: 'ready',
    index,
    port: api.port,
    backend: api.backend.name,
    sqlUrl: api.bi?.sqlUrl ?? null,
    exportsPort: exportsServer ? (exportsServer.address() as AddressInfo).port : undefined,
  };
  process.send!(ready);
  return {
    api,
    async close() {
      exportsServer?.close();
      await api.close();
      process.disconnect?.(); // the IPC channel to the primary would keep this process alive
    },
  };
}
