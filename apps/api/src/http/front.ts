// The front of `eior serve --workers N` (in the primary process): it owns the public port, reads each POST /graphql
// body (at most the API's body limit: 413 past it, as a worker answers), and passes the request over keep-alive
// loopback connections to the priority worker when http/priority-route.ts says it is a cheap read of the served
// model (unless it already has PRIORITY_SPILL_AT in flight and a mix worker has fewer: a stream of nothing but cheap
// reads uses every process), else to the mix worker with the fewest requests in flight. node:cluster would hand whole connections to
// workers before a byte is read, so routing by operation needs this process in front. Other routes (/health,
// /metrics, /export, unknown ones) go to the mix workers unread. The caller's address travels in a header that a
// worker believes only with the front's token (per-client limits count callers, not the front).
import { randomUUID } from 'node:crypto';
import http, { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { PriorityRouter } from './priority-route';
import { sendGraphqlError } from './request-body';
import { serverTiming } from './server-timing';

/** Headers the front adds: the caller's address, and the token that shows a worker it came from the front. */
export const CLIENT_ADDRESS_HEADER = 'x-eior-client-address';
export const FRONT_TOKEN_HEADER = 'x-eior-front';
/** Which kind of worker answered (`priority` or `mix`), on every answer that passed the front. */
export const LANE_HEADER = 'x-eior-lane';

/** Requests in flight at the priority worker from which a priority read goes to a less busy mix worker instead. */
export const PRIORITY_SPILL_AT = 2;

/** Hop-by-hop headers: they describe one connection and are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export interface FrontOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  /** The workers' loopback ports, asked on every request (a dead worker is left out by the caller). */
  upstreams: () => { priority: number | null; mix: number[] };
  token: string;
  log: Logger;
}

export interface RunningFront {
  port: number;
  /** Stops taking connections, lets the requests in flight finish (at most `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

function forwardedHeaders(headers: IncomingHttpHeaders, extra: Record<string, string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(key)) out[key] = value;
  return { ...out, ...extra };
}

/** Passes requests on to the workers over keep-alive loopback connections, counting each worker's requests in flight. */
export function createForwarder(options: Pick<FrontOptions, 'upstreams' | 'token' | 'log'>) {
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 64 });
  const inFlight = new Map<number, number>();
  let turn = 0;

  /** The mix worker with the fewest requests in flight from this front (ties taken in turn). */
  function mixPort(): number | null {
    const ports = options.upstreams().mix;
    if (ports.length === 0) return null;
    turn = (turn + 1) % ports.length;
    let best = ports[turn];
    for (let k = 1; k < ports.length; k++) {
      const port = ports[(turn + k) % ports.length];
      if ((inFlight.get(port) ?? 0) < (inFlight.get(best) ?? 0)) best = port;
    }
    return best;
  }

  function unavailable(res: ServerResponse, err?: unknown): void {
    if (err !== undefined) options.log.error({ err }, 'an API worker did not answer the front');
    if (res.headersSent) return void res.destroy();
    res.setHeader('x-request-id', randomUUID());
    sendGraphqlError(res, 503, 'SERVICE_UNAVAILABLE', 'no API process could take the request: try again in a moment');
  }

  /** Passes the request on; `body` is the request's whole body, or null to stream it (then it is not retried). */
  function forward(req: IncomingMessage, res: ServerResponse, lane: 'priority' | 'mix', body: Buffer | null, arrived: number, retried = false): void {
    let port = lane === 'priority' ? options.upstreams().priority : mixPort();
    if (port === null) return lane === 'priority' ? forward(req, res, 'mix', body, arrived, retried) : unavailable(res);
    if (lane === 'priority' && (inFlight.get(port) ?? 0) >= PRIORITY_SPILL_AT) {
      const spill = mixPort();
      if (spill !== null && (inFlight.get(spill) ?? 0) < (inFlight.get(port) ?? 0)) [port, lane] = [spill, 'mix'];
    }
    const headers = forwardedHeaders(req.headers, { [CLIENT_ADDRESS_HEADER]: req.socket.remoteAddress ?? 'unknown', [FRONT_TOKEN_HEADER]: options.token });
    if (body) headers['content-length'] = String(body.length);
    else if (req.headers['transfer-encoding']) headers['transfer-encoding'] = req.headers['transfer-encoding'];
    inFlight.set(port, (inFlight.get(port) ?? 0) + 1);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight.set(port, (inFlight.get(port) ?? 1) - 1);
    };
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent });
    upstream.on('response', (answer) => {
      // the front's part of the Server-Timing: from the request's arrival here to the worker's answer (the worker's `total` is within it)
      const timing = [answer.headers['server-timing'], serverTiming([['front', performance.now() - arrived]])].filter(Boolean).join(', ');
      const out = forwardedHeaders(answer.headers, { [LANE_HEADER]: lane, 'server-timing': timing });
      // a worker that closes its connection after this answer (a 413 it read no further) asks the caller to do the same
      if (answer.headers.connection === 'close') out.connection = 'close';
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      answer.on('end', finish);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      finish();
      // a kept-alive connection the worker closed just as it was reused: the request never reached it, send it again
      if (upstream.reusedSocket && err.code === 'ECONNRESET' && !retried && body !== null) return forward(req, res, lane, body, arrived, true);
      unavailable(res, err);
    });
    res.on('close', () => {
      finish();
      if (!res.writableFinished) upstream.destroy();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  return { forward, close: () => agent.destroy() };
}

/** Reads a POST body of at most `maxBodyBytes` and hands it on; past that, answers 413 as a worker does. */
export function readLimitedBody(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number, then: (body: Buffer) => void): void {
  const tooLarge = () => {
    res.setHeader('x-request-id', randomUUID());
    // the rest of the body is never read: close the connection so it cannot be parsed as a next request
    sendGraphqlError(res, 413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${maxBodyBytes} bytes: send at most ${maxBodyBytes} bytes`, { connection: 'close' });
  };
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (size > maxBodyBytes) return;
    size += chunk.length;
    if (size > maxBodyBytes) {
      req.pause();
      return tooLarge();
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size <= maxBodyBytes) then(Buffer.concat(chunks));
  });
  req.on('error', () => res.destroy());
}

export async function startFront(options: FrontOptions): Promise<RunningFront> {
  const router = new PriorityRouter();
  const { forward, close: closeForwarder } = createForwarder(options);
  let open = 0;

  const server = createServer((req, res) => {
    const arrived = performance.now();
    open++;
    res.once('close', () => open--);
    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || pathname !== '/graphql') {
      const bodyless = req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0;
      return forward(req, res, 'mix', bodyless ? Buffer.alloc(0) : null, arrived);
    }
    readLimitedBody(req, res, options.maxBodyBytes, (body) => forward(req, res, router.isPriority(body.toString('utf8'), req.headers['content-type']) ? 'priority' : 'mix', body, arrived));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (open > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      server.closeAllConnections();
      await closed;
      closeForwarder();
    },
  };
}
