// Serves the embedded BI database over the PostgreSQL wire protocol (pglite-socket's connection handler), read-only,
// to several BI clients at once.
//
// How read-only holds. PGlite runs one PostgreSQL session, shared by every connection and by the store, and its
// session user is always the superuser `postgres` (the startup packet's user is ignored). So:
//  1. the session sits in role eior_bi_reader (USAGE on eior, SELECT on its tables; no CREATE anywhere, no
//     TEMPORARY) with default_transaction_read_only = on; only the store's own transactions leave it (SET LOCAL);
//  2. as a superuser session could leave that role (RESET ROLE, SET SESSION AUTHORIZATION, set_config), every
//     client statement passes a guard first (bi-sql-guard): reads, transaction control and display settings pass;
//     writes, DDL, SET ROLE/SESSION AUTHORIZATION, read-only off, READ WRITE transactions, DO, COPY, set_config,
//     SQL-from-text functions (query_to_xml, ts_stat, ...), large-object functions and pg_sleep are refused with SQLSTATE
//     25006/42501; function calls by OID and startup `options` are not passed on.
// The guard reads statements with PostgreSQL's own grammar (libpg_query), so a column named `comment` passes and a
// DELETE inside a CTE does not. Limits: a refusal does not abort the client's transaction; SELECT FOR UPDATE is
// refused. Anyone who can reach the port can read every table (there is no password): keep it on
// 127.0.0.1 or behind a tunnel. For an external PostgreSQL, read-only is that server's roles (bi-external-store).
//
// Several connections. pglite-socket 0.2.17's own server defaults to one connection, queues queries per message
// and lets connections interleave inside one another's extended-protocol exchanges and share prepared-statement
// names and settings. Here each connection holds the session for one exchange (a message until Sync, or a simple
// query), not for a transaction block: an open block is ended between exchanges and reopened (bi-connection-queue),
// so connections holding transactions open do not make others wait, and neither do open cursors: a portal read
// with a row limit keeps its rows in its connection (bi-portals), DECLARE runs WITH HOLD under a per-connection name
// (bi-cursors). Others wait in line (bi-session) only for a running query or an extended exchange not yet ended
// by Sync; a wait longer than busyTimeoutMs gets SQLSTATE 55P03 naming the connection that holds it, never an
// endless hang. Prepared statements get per-connection names, display settings (DateStyle, TimeZone, search_path, ...)
// are swapped per connection, DISCARD ALL / RESET ALL / DEALLOCATE ALL apply to the calling connection only.
// Queries still run one at a time, synchronously in PGlite, where statement_timeout has no effect: a heavy BI
// query (a huge join, an endless recursive CTE) makes the other BI clients wait. In the API the store and this
// server run in a worker thread (bi-worker-store), so such a query does not stall the API's own requests, and with
// the store's gate each statement first waits while the API has requests in flight (api-activity, capped).
// Heavy or untrusted BI use belongs on an external PostgreSQL.
import { createServer, type Socket } from 'node:net';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { BiConnectionQueue } from './bi-connection-queue';
import { isEmbeddedBiStore } from './bi-embedded-store';
import { isWorkerBiStore } from './bi-worker-store';
import type { BiStore } from './bi-store';
import * as wire from './bi-wire';

export interface BiSqlServerOptions {
  /** Interface to listen on (default 127.0.0.1: the endpoint has no password). */
  host?: string;
  /** TCP port; 0 picks a free one (read it from the result). */
  port: number;
  /** Open connections at most (default 64); one more gets SQLSTATE 53300 and is closed. */
  maxConnections?: number;
  /** How long a statement waits while another connection holds the session (default: the store's, 30 s). */
  busyTimeoutMs?: number;
  /** Closes a connection idle this long (ms; default 0 = never). */
  idleTimeoutMs?: number;
}

export interface BiSqlServer {
  port: number;
  /** postgresql://eior@host:port/postgres?sslmode=disable (any user name and database name are accepted). */
  url: string;
  close(): Promise<void>;
}

/** Answers a connection over the limit the way PostgreSQL does: after its startup packet, a FATAL 53300. */
function refuse(socket: Socket, message: string): void {
  let pending = Buffer.alloc(0);
  socket.setTimeout(10_000, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8 && wire.encryptionRequest(pending.subarray(0, 8))) {
      socket.write('N');
      pending = pending.subarray(8);
    }
    if (pending.length >= 8 && pending.length >= pending.readInt32BE(0)) socket.end(wire.errorResponse('FATAL', '53300', message));
  });
}

/**
 * Hands the socket to the handler, first answering a GSSENCRequest itself: pglite-socket 0.2.17 knows only
 * SSLRequest and would wait forever on one (libpq sends it when it finds Kerberos credentials).
 */
function attach(handler: PGLiteSocketHandler, socket: Socket): Promise<unknown> {
  return new Promise((resolve, reject) => {
    socket.once('data', (first: Buffer) => {
      socket.pause();
      let rest = first;
      while (rest.length >= 8 && wire.encryptionRequest(rest.subarray(0, 8)) === 'gssenc') {
        socket.write('N');
        rest = rest.subarray(8);
      }
      handler.attach(socket).then(() => {
        if (rest.length > 0) socket.emit('data', rest);
        socket.resume();
        resolve(undefined);
      }, reject);
    });
  });
}

/** Starts the read-only PostgreSQL-protocol endpoint on an embedded store. */
export async function startBiSqlServer(store: BiStore, options: BiSqlServerOptions): Promise<BiSqlServer> {
  if (isWorkerBiStore(store)) return store.serveSql(options); // served by the store's own thread
  if (!isEmbeddedBiStore(store)) {
    throw new Error('startBiSqlServer serves the embedded BI store only: with an external PostgreSQL, BI tools connect to that server with a read-only role');
  }
  const host = options.host ?? '127.0.0.1';
  const maxConnections = options.maxConnections ?? 64;
  const queue = new BiConnectionQueue(store.pglite, store.session, options.busyTimeoutMs ?? store.busyTimeoutMs, store.gate);
  const handlers = new Set<PGLiteSocketHandler>();
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (handlers.size >= maxConnections) {
      refuse(socket, `too many connections to the BI SQL endpoint: ${maxConnections} are open; close one or raise maxConnections`);
      return;
    }
    // The queue stands in for pglite-socket's QueryQueueManager, a class it uses but does not export; the handler
    // calls enqueue, clearQueueForHandler, clearTransactionIfNeeded and getQueueLength (pinned: pglite-socket 0.2.17).
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
      idleTimeout: options.idleTimeoutMs ?? 0,
    });
    queue.register(handler.handlerId, `connection #${handler.handlerId} from ${socket.remoteAddress}:${socket.remotePort}`);
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    socket.on('close', forget);
    attach(handler, socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  server.maxConnections = maxConnections + 16; // room to send the 53300 refusal before the OS-level cut-off

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the BI SQL server did not report its TCP port');
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    port: address.port,
    url: `postgresql://eior@${hostInUrl}:${address.port}/postgres?sslmode=disable`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers].map((h) => h.detach(true).catch(() => undefined)));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
