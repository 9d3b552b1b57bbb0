// The priority worker of `eior serve --workers N` as the front: it owns the public port, reads each POST /graphql
// body (at most the API's body limit, 413 past it), answers the cheap reads of the served models itself
// (http/priority-route.ts), and passes everything else to the mix workers over keep-alive loopback connections
// (http/forward.ts), the one with the fewest requests in flight first. node:cluster would hand whole connections to
// workers before a byte is read, so routing by operation needs a process in front; making it the process that
// answers the cheap reads keeps their path as short as without a front (one process, no extra hop) and puts the
// extra hop on the others. While it has PRIORITY_SPILL_AT priority reads in flight and a mix worker fewer, the next
// goes to that mix worker, so a stream of nothing but cheap reads uses every process. Other routes (/health,
// /metrics, /export) are answered here as in any worker.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { createForwarder, LANE_HEADER } from './forward';
import { BodyTooLargeError, readBodyBytes, sendBodyTooLarge } from './request-body';
import { PriorityRouter } from './priority-route';

/** Priority reads in flight here from which the next one goes to a less busy mix worker instead. */
export const PRIORITY_SPILL_AT = 4;

export interface PriorityEntryOptions {
  maxBodyBytes: number;
  /** The mix workers' loopback ports. */
  mixPorts: () => number[];
  /** Shown to the mix workers, which then believe the caller's address this process passes on. */
  token: string;
  log: Logger;
}

/**
 * The request listener of the priority worker: `serve` answers here (with the body when it was read for routing),
 * the rest is passed on. `close` ends the kept-alive connections to the mix workers.
 */
export function priorityEntry(options: PriorityEntryOptions, serve: (req: IncomingMessage, res: ServerResponse, body?: string) => void) {
  const router = new PriorityRouter();
  const forwarder = createForwarder({ mixPorts: options.mixPorts, token: options.token, log: options.log });
  let priorityInFlight = 0;

  function answerHere(req: IncomingMessage, res: ServerResponse, body: string): void {
    priorityInFlight++;
    res.once('close', () => priorityInFlight--);
    res.setHeader(LANE_HEADER, 'priority');
    serve(req, res, body);
  }

  function listener(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/graphql') return serve(req, res);
    const arrived = performance.now();
    readBodyBytes(req, options.maxBodyBytes).then(
      (body) => {
        const text = body.toString('utf8');
        if (!router.isPriority(text, req.headers['content-type'])) return forwarder.forward(req, res, body, arrived);
        if (priorityInFlight >= PRIORITY_SPILL_AT && forwarder.leastInFlight() < priorityInFlight) return forwarder.forward(req, res, body, arrived);
        answerHere(req, res, text);
      },
      (err: unknown) => {
        if (!(err instanceof BodyTooLargeError)) return void res.destroy();
        res.setHeader('x-request-id', randomUUID());
        sendBodyTooLarge(res, err);
      },
    );
  }

  return { listener, close: () => forwarder.close() };
}
