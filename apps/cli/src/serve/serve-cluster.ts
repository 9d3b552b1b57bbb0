// `eior serve --workers N`: N processes share the API's port (node:cluster hands each new connection to one), so
// scoring and GraphQL use every core. Each worker loads the models itself. The BI store, its SQL port and the
// publisher live in worker 1 only; the others pass /export requests to worker 1 over a private loopback port, and
// tell it (through the primary) when their GraphQL requests begin and end, as its BI thread waits for them.
// With a priority worker (EIOR_API_PRIORITY_WORKER, on by default) the N workers listen on loopback ports of their
// own and run MIX_WORKER_NICE_OFFSET nice levels lower, and one more worker (index N + 1, BI off, at the primary's
// priority) owns the port: it answers the cheap reads of the served models and passes the rest to them.
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { startApi, type ApiConfig, type RunningApi } from '@eior/api';
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

/** Where the priority worker listens, when there is one. */
export interface PriorityWorkerSettings {
  host: string;
}

/**
 * In the primary: forks the workers on `port` and resolves once all serve, with worker 1's report. With `front`,
 * forks `count` mix workers on loopback ports, then the priority worker on `port` (the port in the report is its).
 */
export async function startWorkers(count: number, port: number, env: NodeJS.ProcessEnv, front: PriorityWorkerSettings | null = null): Promise<{ first: WorkerReady; workers: Worker[]; stop(): Promise<void> }> {
  // a larger young generation: a request allocates a few hundred KB, and fewer scavenges mean fewer pauses in the tail
  const flag = '--max-semi-space-size=64';
  const execArgv = process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) ? process.execArgv : [...process.execArgv, flag];
  cluster.setupPrimary({ execArgv });
  const workers: Worker[] = [];
  const ready: WorkerReady[] = [];
  const relay = new ActivityRelay();
  const token = randomBytes(24).toString('hex');
  const mixNice = os.getPriority() + MIX_WORKER_NICE_OFFSET;
  /** Forks worker `index` with `extra` in its environment; resolves once it serves. */
  const fork = (index: number, extra: NodeJS.ProcessEnv, mix: boolean) =>
    new Promise<WorkerReady>((resolve, reject) => {
      const worker = cluster.fork({ ...env, ...extra, EIOR_API_WORKER: String(index), ...(index > 1 ? { EIOR_BI: 'off' } : {}) });
      workers[index - 1] = worker;
      let serving = false;
      // the mix workers' threads now, and again once serving (threads started later inherit from their starter)
      if (front && mix) worker.once('online', () => lowerPriority(worker.process.pid!, mixNice));
      worker.on('message', (m: WorkerReady | RequestActivity) => {
        if (m?.type === 'activity') {
          workers[0].send({ type: 'activity', delta: relay.report(index, m.delta) } satisfies RequestActivity);
          return;
        }
        if (m?.type !== 'ready') return;
        if (front && mix) lowerPriority(worker.process.pid!, mixNice);
        serving = true;
        ready.push(m);
        resolve(m);
      });
      worker.on('exit', (code) => {
        // its requests in flight end with it, or worker 1's BI thread would wait on them to its cap from now on
        for (const delta of relay.exited(index)) if (!workers[0].isDead()) workers[0].send({ type: 'activity', delta } satisfies RequestActivity);
        if (!serving) reject(new Error(`API worker ${index} exited with code ${code} before serving (see its messages above)`));
      });
    });
  const behindFront = { EIOR_API_PORT: '0', EIOR_API_HOST: '127.0.0.1', EIOR_API_FRONT_TOKEN: token };
  const mixReady = Promise.all(Array.from({ length: count }, (_, k) => fork(k + 1, front ? behindFront : { EIOR_API_PORT: String(port) }, true)));
  let entry: WorkerReady | null = null;
  if (front) {
    // the priority worker owns the port and passes what is not a priority read to the mix workers' ports
    const mixPorts = (await mixReady).map((r) => r.port).join(',');
    entry = await fork(count + 1, { EIOR_API_PORT: String(port), EIOR_API_HOST: front.host, EIOR_API_FRONT_TOKEN: token, EIOR_API_MIX_PORTS: mixPorts }, false);
  } else await mixReady;
  const first = ready.find((r) => r.index === 1)!;
  if (first.exportsPort) {
    const message: ExportsAt = { type: 'exports', url: `http://127.0.0.1:${first.exportsPort}` };
    for (const w of workers) w.send(message);
  }
  const stopWorker = (w: Worker) =>
    new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    });
  return {
    first: entry ? { ...first, port: entry.port } : first,
    workers,
    async stop() {
      // the priority worker first: it stops taking connections and its requests in flight finish through the others
      if (front) await stopWorker(workers[count]);
      await Promise.all(workers.map(stopWorker));
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
  const mixPorts = process.env.EIOR_API_MIX_PORTS?.split(',').map(Number);
  api = await startApi({ client, config, exportsUpstream: () => exportsUrl, ...(index > 1 ? { onGraphqlRequest: tellWorker1 } : {}), ...(frontToken ? { front: { token: frontToken, ...(mixPorts ? { mixPorts: () => mixPorts } : {}) } } : {}) });
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
