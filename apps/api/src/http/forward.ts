// Passing a GraphQL request on from the priority worker of `eior serve --workers N` (http/priority-entry.ts) to a
// mix worker over keep-alive loopback connections: the mix worker with the fewest requests in flight from here first,
// the body already read, the answer streamed back with the lane it took and this process's time in Server-Timing.
// The caller's address travels in a header that a mix worker believes only with the token (per-client limits count
// callers, not the priority worker).
import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { sendGraphqlError } from './request-body';
import { serverTiming } from './server-timing';

/** Headers added to a request passed on: the caller's address, and the token that shows the mix worker where it came from. */
export const CLIENT_ADDRESS_HEADER = 'x-eior-client-address';
export const FRONT_TOKEN_HEADER = 'x-eior-front';
/** Which kind of worker answered (`priority` or `mix`), on every GraphQL answer of `eior serve --workers N`. */
export const LANE_HEADER = 'x-eior-lane';

/** Hop-by-hop headers: they describe one connection and are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function forwardedHeaders(headers: IncomingHttpHeaders, extra: Record<string, string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(key)) out[key] = value;
  return { ...out, ...extra };
}

/** How long a port that refused a connection is skipped. */
const REFUSED_SKIP_MS = 1000;

export interface ForwarderOptions {
  /** The mix workers' loopback ports, asked on every request. */
  mixPorts: () => number[];
  token: string;
  log: Logger;
}

/** Passes requests on to the mix workers, counting each one's requests in flight from here. */
export function createForwarder(options: ForwarderOptions) {
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 64 });
  const inFlight = new Map<number, number>();
  /** Ports that refused a connection (a mix worker that died), until when they are skipped (performance.now()). */
  const refused = new Map<number, number>();
  let turn = 0;

  /** The mix worker with the fewest requests in flight from here (ties taken in turn), skipping one that just refused. */
  function leastBusy(): number | null {
    const now = performance.now();
    const ports = options.mixPorts().filter((p) => (refused.get(p) ?? 0) <= now);
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
    if (err !== undefined) options.log.error({ err }, 'an API worker did not answer the request passed on to it');
    if (res.headersSent) return void res.destroy();
    res.setHeader('x-request-id', randomUUID());
    sendGraphqlError(res, 503, 'SERVICE_UNAVAILABLE', 'no API process could take the request: try again in a moment');
  }

  /** Passes the request with its whole `body` on; `arrived`: when it arrived here (performance.now()). */
  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, arrived: number, retried = false): void {
    const port = leastBusy();
    if (port === null) return unavailable(res);
    const headers = forwardedHeaders(req.headers, { [CLIENT_ADDRESS_HEADER]: req.socket.remoteAddress ?? 'unknown', [FRONT_TOKEN_HEADER]: options.token, 'content-length': String(body.length) });
    inFlight.set(port, (inFlight.get(port) ?? 0) + 1);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight.set(port, (inFlight.get(port) ?? 1) - 1);
    };
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent });
    upstream.on('response', (answer) => {
      // this process's part of the Server-Timing: from the request's arrival here to the mix worker's answer (its `total` is within it)
      const timing = [answer.headers['server-timing'], serverTiming([['front', performance.now() - arrived]])].filter(Boolean).join(', ');
      const out = forwardedHeaders(answer.headers, { [LANE_HEADER]: 'mix', 'server-timing': timing });
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      answer.on('end', finish);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      finish();
      // a kept-alive connection the mix worker closed just as it was reused: the request never reached it, send it again
      if (upstream.reusedSocket && err.code === 'ECONNRESET' && !retried) return forward(req, res, body, arrived, true);
      // a mix worker that is gone (the primary starts another, on another port): skip its port for a while, try another
      if (err.code === 'ECONNREFUSED') {
        refused.set(port, performance.now() + REFUSED_SKIP_MS);
        if (!retried) return forward(req, res, body, arrived, true);
      }
      unavailable(res, err);
    });
    res.on('close', () => {
      finish();
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  }

  return {
    forward,
    /** The fewest requests in flight from here at any mix worker (Infinity without one). */
    leastInFlight: () => Math.min(...options.mixPorts().map((p) => inFlight.get(p) ?? 0)),
    close: () => agent.destroy(),
  };
}
