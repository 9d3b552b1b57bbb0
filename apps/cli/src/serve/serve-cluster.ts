// `eior serve --workers N`: N processes share the API's port (node:cluster hands each new connection to one), so
// scoring and GraphQL use every core. Each worker loads the models itself. The BI store, its SQL port and the
// publisher live in worker 1 only; the others pass /export requests to worker 1 over a private loopback port, and
// tell it (through the primary) when their GraphQL requests begin and end, as its BI thread waits for them.
// With a priority worker (EIOR_API_PRIORITY_WORKER, on by default) the N workers listen on loopback ports of their
// own and run MIX_WORKER_NICE_OFFSET nice levels lower and, by default, under SCHED_IDLE (EIOR_API_MIX_PRIORITY) in a
// CPU control group of least weight where one can be made (EIOR_API_MIX_GROUP, @eior/api's cpu-group.ts), and
// one more worker (index N + 1, BI off, at the primary's priority) owns the port: it answers the cheap reads of the
// served models and passes the rest to them. A worker
// that dies while serving is started again in its place (a few times a minute at most).
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { lowerNice, openMixGroup, readThreadSchedule, schedIdle, startApi, type ApiConfig, type MixPriority, type RunningApi, type ThreadSchedule } from '@eior/api';
import type { GraphClient } from '@eior/graph';
import { ActivityRelay, type ActivityDelta } from './activity-relay';
import { CliError, EXIT_FAILURE } from '../errors';

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

/** A worker that could not start serving (its port taken, say), just before it exits. */
export interface WorkerFailed {
  type: 'failed';
  message: string;
  /** The system error's code when there is one (`EADDRINUSE` for a taken port). */
  code: string | null;
}

/** The message a worker sends the primary about the error that kept it from serving. */
export function workerFailed(err: unknown): WorkerFailed {
  // read by shape, not by instanceof: an error made in another realm (a vm context, a test runner) is one too
  const { message, code } = (err ?? {}) as Partial<NodeJS.ErrnoException>;
  return { type: 'failed', message: typeof message === 'string' ? message : String(err), code: typeof code === 'string' ? code : null };
}

/** A worker could not start serving: what it said, and the system error's code (EADDRINUSE: its port was taken). */
export class WorkerStartError extends CliError {
  readonly code: string | null;

  constructor(index: number, failure: WorkerFailed) {
    super(`API worker ${index} could not start serving: ${failure.message}`, EXIT_FAILURE);
    this.name = 'WorkerStartError';
    this.code = failure.code;
  }
}

interface ExportsAt {
  type: 'exports';
  url: string;
}

/** To the priority worker: the mix workers' ports, after one was started again on another port. */
interface MixPorts {
  type: 'mix-ports';
  ports: number[];
}

/**
 * A message to a worker while its channel is open: a worker that is exiting (stopped, killed, being replaced) cannot
 * take it, and the failed write must not take the primary down with an unhandled 'error' event.
 */
function tell(worker: Worker | undefined, message: ExportsAt | RequestActivity | MixPorts): void {
  if (worker?.isConnected()) worker.send(message, () => undefined);
}

/** A worker that dies while serving is started again, at most MAX_RESTARTS times per RESTART_WINDOW_MS each. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

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

/**
 * Starts on a port that `pick` finds free (`--port 0`). The workers listen on it seconds later, once their models are
 * loaded, and another process's connection may take it in between: a start that fails with EADDRINUSE then gets
 * another port, at most `attempts` starts in all; any other failure ends it at once.
 */
export async function startOnFreePort<T>(pick: () => Promise<number>, start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await pick();
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= attempts || !(err instanceof WorkerStartError && err.code === 'EADDRINUSE')) throw err;
      console.error(`port ${port} was taken before the API workers listened on it: trying another`);
    }
  }
}

/** How many nice levels the workers that take the mix run below the primary and the priority worker. */
export const MIX_WORKER_NICE_OFFSET = 10;

/** Where the priority worker listens, when there is one, and how the mix workers are scheduled. */
export interface PriorityWorkerSettings {
  host: string;
  mixPriority: MixPriority;
  /** The mix workers in a CPU control group of least weight where one can be made (EIOR_API_MIX_GROUP). */
  mixGroup: boolean;
}

/**
 * Lowers every thread of a mix worker: MIX_WORKER_NICE_OFFSET nice levels below the primary and, for `idle`, under
 * SCHED_IDLE, so that the priority worker, woken by a request, takes a core from them at once instead of after their
 * slice. Returns how the worker's main thread is scheduled afterwards ('SCHED_IDLE', 'nice 10').
 */
function lowerMixWorker(pid: number, nice: number, priority: MixPriority): string {
  lowerNice(pid, nice);
  if (priority === 'idle') schedIdle({ pid });
  let main: ThreadSchedule;
  try {
    main = readThreadSchedule(pid, pid);
  } catch {
    return 'unknown'; // no /proc, or the worker is gone
  }
  return main.policy === 'SCHED_IDLE' ? 'SCHED_IDLE' : `nice ${main.nice}`;
}

/**
 * In the primary: forks the workers on `port` and resolves once all serve, with worker 1's report. With `front`,
 * forks `count` mix workers on loopback ports, then the priority worker on `port` (the port in the report is its).
 */
export async function startWorkers(
  count: number,
  port: number,
  env: NodeJS.ProcessEnv,
  front: PriorityWorkerSettings | null = null,
): Promise<{ first: WorkerReady; workers: Worker[]; mixSchedule: string | null; mixGroup: string | null; stop(): Promise<void> }> {
  // a larger young generation: a request allocates a few hundred KB, and fewer scavenges mean fewer pauses in the tail
  const flag = '--max-semi-space-size=64';
  const execArgv = process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) ? process.execArgv : [...process.execArgv, flag];
  cluster.setupPrimary({ execArgv });
  const workers: Worker[] = [];
  const ready: WorkerReady[] = [];
  const relay = new ActivityRelay();
  const token = randomBytes(24).toString('hex');
  const mixNice = os.getPriority() + MIX_WORKER_NICE_OFFSET;
  const mixPorts: number[] = [];
  /** How the last mix worker to start serving was scheduled (null without a front). */
  let mixSchedule: string | null = null;
  /** The mix workers' CPU control group, where one could be made. */
  const group = front?.mixGroup ? openMixGroup() : null;
  let stopping = false;
  const restarts = new Map<number, number[]>();
  /** Forks worker `index` with `extra` in its environment; resolves once it serves. */
  const fork = (index: number, extra: NodeJS.ProcessEnv, mix: boolean) =>
    new Promise<WorkerReady>((resolve, reject) => {
      const worker = cluster.fork({ ...env, ...extra, EIOR_API_WORKER: String(index), ...(index > 1 ? { EIOR_BI: 'off' } : {}) });
      workers[index - 1] = worker;
      let serving = false;
      let failure: WorkerFailed | null = null;
      // the mix workers' threads now, and again once serving (threads started later inherit from their starter); the
      // group once, now (it holds the process: its threads, and the ones started later)
      if (front && mix)
        worker.once('online', () => {
          group?.add(worker.process.pid!);
          lowerMixWorker(worker.process.pid!, mixNice, front.mixPriority);
        });
      worker.on('message', (m: WorkerReady | RequestActivity | WorkerFailed) => {
        if (m?.type === 'failed') failure = m;
        if (m?.type === 'activity') {
          tell(workers[0], { type: 'activity', delta: relay.report(index, m.delta) } satisfies RequestActivity);
          return;
        }
        if (m?.type !== 'ready') return;
        if (front && mix) {
          mixSchedule = lowerMixWorker(worker.process.pid!, mixNice, front.mixPriority);
          if (front.mixPriority === 'idle' && mixSchedule !== 'SCHED_IDLE') console.error(`API worker ${index} did not get SCHED_IDLE (EIOR_API_MIX_PRIORITY=idle; is util-linux's chrt installed?): it runs at ${mixSchedule}`);
        }
        serving = true;
        ready.push(m);
        resolve(m);
      });
      worker.on('exit', (code, signal) => {
        // its requests in flight end with it, or worker 1's BI thread would wait on them to its cap from now on
        for (const delta of relay.exited(index)) tell(workers[0], { type: 'activity', delta } satisfies RequestActivity);
        if (!serving) reject(failure ? new WorkerStartError(index, failure) : new Error(`API worker ${index} exited with code ${code} before serving (see its messages above)`));
        else if (!stopping) replace(index, extra, mix, code ?? signal);
      });
    });
  /** A worker that died while serving: another in its place (the priority worker learns a new mix worker's port). */
  const replace = (index: number, extra: NodeJS.ProcessEnv, mix: boolean, how: number | string | null): void => {
    const now = Date.now();
    const recent = (restarts.get(index) ?? []).filter((t) => now - t < RESTART_WINDOW_MS);
    if (recent.length >= MAX_RESTARTS) {
      console.error(`API worker ${index} exited (${how}) ${recent.length + 1} times within ${RESTART_WINDOW_MS / 1000} s: not starting it again`);
      return;
    }
    restarts.set(index, [...recent, now]);
    console.error(`API worker ${index} exited (${how}) while serving: starting another in its place`);
    const again = front && !mix ? { ...extra, EIOR_API_MIX_PORTS: mixPorts.join(',') } : extra;
    fork(index, again, mix)
      .then((r) => {
        if (front && mix) {
          mixPorts[index - 1] = r.port;
          tell(workers[count], { type: 'mix-ports', ports: mixPorts } satisfies MixPorts);
        }
        if (r.exportsPort) for (const w of workers) tell(w, { type: 'exports', url: `http://127.0.0.1:${r.exportsPort}` } satisfies ExportsAt);
      })
      .catch((err: Error) => console.error(`API worker ${index} could not be started again: ${err.message}`));
  };
  const behindFront = { EIOR_API_PORT: '0', EIOR_API_HOST: '127.0.0.1', EIOR_API_FRONT_TOKEN: token };
  const stopWorker = (w: Worker) =>
    new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    });
  let entry: WorkerReady | null = null;
  try {
    const mixReady = Promise.all(Array.from({ length: count }, (_, k) => fork(k + 1, front ? behindFront : { EIOR_API_PORT: String(port) }, true)));
    if (front) {
      // the priority worker owns the port and passes what is not a priority read to the mix workers' ports
      mixPorts.push(...(await mixReady).map((r) => r.port));
      entry = await fork(count + 1, { EIOR_API_PORT: String(port), EIOR_API_HOST: front.host, EIOR_API_FRONT_TOKEN: token, EIOR_API_MIX_PORTS: mixPorts.join(',') }, false);
    } else await mixReady;
  } catch (err) {
    // a worker that cannot serve (the port taken, say) fails the start: the ones already up are stopped, not left running
    stopping = true;
    await Promise.all(workers.filter(Boolean).map(stopWorker));
    group?.close();
    throw err;
  }
  const first = ready.find((r) => r.index === 1)!;
  if (first.exportsPort) {
    const message: ExportsAt = { type: 'exports', url: `http://127.0.0.1:${first.exportsPort}` };
    for (const w of workers) tell(w, message);
  }
  return {
    first: entry ? { ...first, port: entry.port } : first,
    workers,
    mixSchedule,
    mixGroup: group?.path ?? null,
    async stop() {
      stopping = true;
      // the priority worker first: it stops taking connections and its requests in flight finish through the others
      if (front) await stopWorker(workers[count]);
      await Promise.all(workers.map(stopWorker));
      group?.close();
    },
  };
}

/** In a worker: serves, reports to the primary, and returns what to close on SIGTERM. */
export async function runWorker(client: GraphClient, config: ApiConfig): Promise<{ api: RunningApi; close(): Promise<void> }> {
  const index = Number(process.env.EIOR_API_WORKER);
  let exportsUrl: string | null = null;
  let api: RunningApi | null = null;
  let mixPorts = process.env.EIOR_API_MIX_PORTS?.split(',').map(Number);
  process.on('message', (m: ExportsAt | RequestActivity | MixPorts) => {
    if (m?.type === 'exports') exportsUrl = m.url;
    if (m?.type === 'activity') api?.activity.other(m.delta);
    if (m?.type === 'mix-ports') mixPorts = m.ports;
  });
  const tellWorker1 = (delta: ActivityDelta) => process.send!({ type: 'activity', delta } satisfies RequestActivity);
  const frontToken = process.env.EIOR_API_FRONT_TOKEN;
  api = await startApi({ client, config, exportsUpstream: () => exportsUrl, ...(index > 1 ? { onGraphqlRequest: tellWorker1 } : {}), ...(frontToken ? { front: { token: frontToken, ...(mixPorts ? { mixPorts: () => mixPorts! } : {}) } } : {}) });
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
