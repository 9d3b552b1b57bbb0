// Takes the place of pglite-socket's internal query queue: every protocol message of every SQL client passes here,
// is checked by the read-only guard, gets per-connection prepared-statement names, and runs on PGlite's one session
// while its connection holds that session: from a message until Sync (one exchange), not through a transaction.
//
// Transactions without holding the session. A client's transaction block is ended (COMMIT: every client reads only)
// when its exchange ends and opened again (BEGIN) when its next exchange starts, so one client's open transaction
// never makes the others wait; the client sees status 'T' (or 'E' after an error, restored by failing one statement
// in the reopened block) as PostgreSQL would show it. Each statement sees one published state of each table (the
// store writes only between exchanges, a table's rows in one transaction): READ COMMITTED, not one snapshot for the
// whole block. Cursors do not keep the session either: a portal read with a row limit is run to its end at its
// first Execute and the rest of its rows kept in the connection (bi-portals), and DECLARE runs WITH HOLD under the
// connection's own name (bi-cursors), materialised when the exchange's block is ended; both are dropped when the
// client's transaction ends, as PostgreSQL drops them. SET LOCAL and savepoints last one exchange.
//
// Yielding to the API: with a gate (api-activity), each message that runs a statement (a simple query, an Execute)
// first waits while the API's requests are in flight, within the gate's cap; parse, bind, describe and the queue's
// own bookkeeping statements do not wait.
import type { PGlite } from '@electric-sql/pglite';
import { runGated, type BiYield } from './api-activity';
import { ClientConnection, SPECIAL_TAGS } from './bi-client-connection';
import type { CursorRewrite } from './bi-cursors';
import { BiSessionBusyError, type BiSession } from './bi-session';
import { checkClientSql, CLIENT_SETTINGS, type GuardSpecial } from './bi-sql-guard';
import { quoteIdent, quoteLiteral } from './bi-sql';
import * as wire from './bi-wire';

type OnData = (data: Uint8Array) => void;

export class BiConnectionQueue {
  private readonly connections = new Map<number, ClientConnection>();

  constructor(
    private readonly db: PGlite,
    private readonly session: BiSession,
    private readonly busyTimeoutMs: number,
    /** Waits before each client statement while the API is busy (null: never). */
    private readonly gate: BiYield | null = null,
  ) {}

  /** Names a connection before its first message (the label appears in busy errors of other clients). */
  register(handlerId: number, label: string): void {
    this.connections.set(handlerId, new ClientConnection(handlerId, label));
  }

  // --- the interface PGLiteSocketHandler calls (messages of one connection arrive one after another) ---

  enqueue(handlerId: number, message: Uint8Array, onData: OnData): Promise<number> {
    let conn = this.connections.get(handlerId);
    if (!conn) {
      conn = new ClientConnection(handlerId, `connection #${handlerId}`);
      this.connections.set(handlerId, conn);
    }
    const c = conn;
    // a handler may deliver two socket chunks concurrently: keep its messages in order
    const run = c.chain.then(() => (c.closed ? undefined : this.process(c, message, onData)));
    c.chain = run.catch(() => undefined);
    return run.then(() => message.byteLength);
  }

  clearQueueForHandler(handlerId: number): void {
    const conn = this.connections.get(handlerId);
    if (!conn) return;
    conn.closed = true;
    this.session.cancel(conn, new Error(`${conn.label} closed`));
  }

  /** The connection closed: roll back what it left open, free its statements, hand the session on. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    const conn = this.connections.get(handlerId);
    if (!conn) return;
    conn.closed = true;
    await conn.chain;
    try {
      if (this.session.holds(conn)) {
        if (conn.inSequence) await this.raw(wire.SYNC, () => undefined);
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      }
      if (conn.statements.size > 0 || conn.cursors.size > 0) {
        await this.session.run(conn, this.busyTimeoutMs, async () => {
          await this.deallocate(conn);
          await conn.cursors.close((sql) => this.db.exec(sql), true);
        });
      }
    } catch {
      // a closed connection has no one to report to; its statements only cost memory
    } finally {
      this.session.release(conn);
      this.connections.delete(handlerId);
    }
  }

  getQueueLength(): number {
    return this.session.queued;
  }

  // --- message handling ---

  private async process(conn: ClientConnection, msg: Uint8Array, onData: OnData): Promise<void> {
    if (msg[0] === 0) return this.untyped(conn, msg, onData);
    const type = String.fromCharCode(msg[0]);
    if (conn.skipUntilSync) {
      if (type !== 'S') return;
      conn.skipUntilSync = false;
      return this.session.holds(conn) ? this.forward(conn, wire.SYNC, onData) : onData(wire.readyForQuery(conn.tx));
    }
    switch (type) {
      case 'Q': {
        const sql = wire.queryText(msg);
        const verdict = await checkClientSql(sql);
        if (!verdict.ok) return this.refuse(conn, true, verdict.code, verdict.message, onData);
        if (verdict.special) return this.emulate(conn, verdict.special, onData);
        const cursors = await this.cursorRewrite(conn, sql);
        if (cursors instanceof Error) return this.refuse(conn, true, '0A000', cursors.message, onData);
        this.record(conn, verdict.settings);
        return this.forward(conn, cursors ? wire.query(cursors.sql) : msg, onData);
      }
      case 'P': {
        const sql = wire.parseFields(msg).query;
        const verdict = await checkClientSql(sql);
        if (!verdict.ok) return this.refuse(conn, false, verdict.code, verdict.message, onData);
        if (verdict.special) return this.refuse(conn, false, '0A000', `send ${SPECIAL_TAGS[verdict.special]} as a simple query, not a prepared statement`, onData);
        const cursors = await this.cursorRewrite(conn, sql);
        if (cursors instanceof Error) return this.refuse(conn, false, '0A000', cursors.message, onData);
        this.record(conn, verdict.settings);
        const name = wire.statementName(msg);
        if (name) conn.statements.add(conn.serverName(name));
        return this.forward(conn, wire.renameStatement(cursors ? wire.withQuery(msg, cursors.sql) : msg, (n) => conn.serverName(n)), onData);
      }
      case 'C': {
        const portal = wire.portalName(msg);
        if (portal !== null && conn.portals.has(portal)) {
          conn.portals.drop(portal);
          return onData(wire.CLOSE_COMPLETE);
        }
        const cursor = portal === null ? null : conn.cursors.serverNameOf(portal);
        if (cursor) return this.forward(conn, wire.renamePortal(msg, cursor), onData);
        if (msg[5] === 0x53 /* 'S' */) conn.statements.delete(conn.serverName(wire.statementName(msg) ?? ''));
        return this.forward(conn, wire.renameStatement(msg, (n) => conn.serverName(n)), onData);
      }
      case 'B':
        conn.portals.drop(wire.portalName(msg) ?? '');
        return this.forward(conn, wire.renameStatement(msg, (n) => conn.serverName(n)), onData);
      case 'D': {
        const portal = wire.portalName(msg);
        if (portal !== null && conn.portals.has(portal)) return onData(conn.portals.describe(portal));
        const cursor = portal === null ? null : conn.cursors.serverNameOf(portal);
        if (cursor) return this.forward(conn, wire.renamePortal(msg, cursor), onData);
        return this.forward(conn, wire.renameStatement(msg, (n) => conn.serverName(n)), onData);
      }
      case 'E': {
        const portal = wire.portalName(msg) ?? '';
        const maxRows = wire.executeMaxRows(msg);
        if (conn.portals.has(portal)) return conn.portals.execute(portal, maxRows).forEach((m) => onData(m));
        const cursor = conn.cursors.serverNameOf(portal);
        if (cursor) return this.forward(conn, wire.renamePortal(msg, cursor), onData);
        return maxRows > 0 ? this.executeLimited(conn, portal, maxRows, onData) : this.forward(conn, msg, onData);
      }
      case 'S':
        if (!this.session.holds(conn)) {
          // an exchange answered from kept portals only: nothing ran on the session
          conn.inSequence = false;
          return onData(wire.readyForQuery(conn.tx));
        }
        return this.forward(conn, msg, onData);
      case 'H':
        return this.forward(conn, msg, onData);
      case 'X': // Terminate: the socket closes next
      case 'd': // CopyData/CopyDone/CopyFail: COPY is refused, so these are strays PostgreSQL would ignore too
      case 'c':
      case 'f':
      case 'p': // password: the endpoint asks for none
        return;
      case 'F': // FunctionCall stands alone, like a simple query: answered with ReadyForQuery, no Sync
        return this.refuse(conn, true, '25006', 'the BI SQL endpoint is read-only: function calls by OID are not allowed; call functions from a SELECT', onData);
      default:
        // what PostgreSQL does too: end the connection
        onData(wire.errorResponse('FATAL', '08P01', `invalid frontend message type ${JSON.stringify(type)}`));
        throw new Error(`invalid frontend message type ${JSON.stringify(type)}`);
    }
  }

  /** Startup packet or encryption request (no type byte). */
  private async untyped(conn: ClientConnection, msg: Uint8Array, onData: OnData): Promise<void> {
    if (wire.encryptionRequest(msg)) return onData(Uint8Array.from([0x4e])); // 'N': no encryption, go on in clear
    if (!wire.isStartupMessage(msg)) {
      onData(wire.errorResponse('FATAL', '08P01', 'unsupported startup message: the BI SQL endpoint speaks protocol 3.0'));
      throw new Error('unsupported startup message');
    }
    // Only display settings the client asks for are honoured (as if it had SET them); user, database and
    // `options` (-c role=..., -c default_transaction_read_only=...) are not passed on.
    for (const [name, value] of wire.startupParameters(msg)) {
      const key = name.toLowerCase();
      // client_encoding stays UTF8, the encoding the guard reads SQL in
      if (CLIENT_SETTINGS.includes(key) && key !== 'client_encoding') conn.settings.set(key, `SELECT pg_catalog.set_config(${quoteLiteral(key)}, ${quoteLiteral(value)}, false)`);
    }
    return this.forward(conn, wire.startupMessage({ user: 'postgres', database: 'postgres' }), onData);
  }

  private record(conn: ClientConnection, settings: { names: string[]; statement: string }[]): void {
    for (const change of settings) for (const name of change.names) conn.settings.set(name, change.statement);
  }

  /** Runs the message on PGlite, holding the session from the first message of an exchange until its end. */
  private async forward(conn: ClientConnection, msg: Uint8Array, onData: OnData): Promise<void> {
    const type = msg[0] === 0 ? 'startup' : String.fromCharCode(msg[0]);
    if (!(await this.hold(conn, type, onData))) return;
    const tracker = new wire.BackendTracker();
    await this.raw(msg, (data) => {
      tracker.feed(data);
      onData(data);
    }, type === 'Q' || type === 'E');
    conn.inSequence = !(type === 'Q' || type === 'S' || type === 'startup');
    // PostgreSQL skips the rest of a failed extended exchange up to Sync; so does this queue, whose kept portals
    // would otherwise answer messages PostgreSQL ignores
    if (conn.inSequence && tracker.failed) conn.skipUntilSync = true;
    if (!conn.inSequence) await this.endExchange(conn, tracker);
  }

  /** Takes the session for an exchange (reopening the client's block); false when the wait was refused. */
  private async hold(conn: ClientConnection, type: string, onData: OnData): Promise<boolean> {
    if (this.session.holds(conn)) return true;
    try {
      await this.session.acquire(conn, this.busyTimeoutMs);
    } catch (err) {
      if (!(err instanceof BiSessionBusyError)) throw err;
      if (type === 'startup') {
        onData(wire.errorResponse('FATAL', '55P03', err.message));
        throw err;
      }
      await this.refuse(conn, type === 'Q', '55P03', err.message, onData);
      return false;
    }
    if (conn.tx !== 'I' && !this.db.isInTransaction()) await this.reopen(conn);
    return true;
  }

  /**
   * An Execute with a row limit: the portal runs to its end now, the client gets its first rows and
   * PortalSuspended, and the connection keeps the rest (bi-portals); PostgreSQL's portal is closed, so the block
   * can be ended at Sync and the session handed on while the client reads on.
   */
  private async executeLimited(conn: ClientConnection, portal: string, maxRows: number, onData: OnData): Promise<void> {
    if (!(await this.hold(conn, 'E', onData))) return;
    conn.inSequence = true;
    const described = new wire.BackendMessages();
    await this.raw(wire.describePortal(portal), (data) => described.feed(data));
    const [description] = described.messages;
    if (!description || description[0] === 0x45 /* 'E': no such portal */) {
      described.messages.forEach((m) => onData(m));
      conn.skipUntilSync = true;
      return;
    }
    const run = new wire.BackendMessages();
    await this.raw(wire.execute(portal, 0), (data) => run.feed(data), true);
    const failed = run.messages.some((m) => m[0] === 0x45);
    if (!failed) await this.raw(wire.closePortal(portal), () => undefined);
    conn.portals.take(portal, maxRows, description, run.messages).forEach((m) => onData(m));
    if (failed) conn.skipUntilSync = true;
  }

  /** The connection's cursor statements renamed and made WITH HOLD (bi-cursors); an Error when that failed. */
  private cursorRewrite(conn: ClientConnection, sql: string): Promise<CursorRewrite | Error | null> {
    return conn.cursors.rewrite(sql).catch((err: Error) => new Error(`${err.message}; write the cursor name as a plain or "quoted" identifier`));
  }

  /** Opens the client's transaction block again for its next exchange, failed if it had failed. */
  private async reopen(conn: ClientConnection): Promise<void> {
    await this.db.exec('BEGIN');
    // what PostgreSQL does after an error in a block: refuse all but ROLLBACK (25P02) until the block ends
    if (conn.tx === 'E') await this.db.exec('SELECT 1/0').catch(() => undefined);
  }

  /**
   * The exchange is over: the client hands the session on; its open block is ended here (its cursors are WITH HOLD
   * and its limited portals kept in the connection) and reopened at its next exchange. A block still showing a
   * cursor that is not holdable (none should) keeps the session rather than lose it.
   */
  private async endExchange(conn: ClientConnection, tracker: wire.BackendTracker): Promise<void> {
    if (!this.db.isInTransaction()) {
      // the client's transaction (or the implicit one of its exchange) is over, and with it its cursors
      conn.tx = 'I';
      conn.portals.clear();
      await conn.cursors.close((sql) => this.db.exec(sql), false);
      this.session.release(conn);
      return;
    }
    conn.tx = tracker.status === 'E' ? 'E' : 'T';
    if (conn.tx === 'T' && (tracker.suspended || (await this.hasOpenCursor()))) return; // a cursor lives in its block
    await this.db.exec(conn.tx === 'E' ? 'ROLLBACK' : 'COMMIT');
    this.session.release(conn);
  }

  private async hasOpenCursor(): Promise<boolean> {
    const [result] = await this.db.exec('SELECT 1 FROM pg_catalog.pg_cursors WHERE NOT is_holdable LIMIT 1');
    return result.rows.length > 0;
  }

  /** Runs one protocol message on PGlite; a client `statement` waits for the API first (the gate). */
  private raw(msg: Uint8Array, onData: OnData, statement = false): Promise<void> {
    const run = () => this.db.runExclusive(() => this.db.execProtocolRawStream(msg, { onRawData: onData }));
    return runGated(statement ? this.gate : null, run);
  }

  /**
   * Answers a refused message with an ErrorResponse. A simple query then gets its ReadyForQuery (from PostgreSQL
   * when the client holds the session, so the transaction status is right); an extended exchange drops the rest
   * up to Sync. Unlike a PostgreSQL error, a refusal does not abort the client's open transaction.
   */
  private async refuse(conn: ClientConnection, simpleQuery: boolean, code: string, message: string, onData: OnData): Promise<void> {
    onData(wire.errorResponse('ERROR', code, message));
    if (!simpleQuery) {
      conn.skipUntilSync = true;
    } else if (this.session.holds(conn)) {
      await this.forward(conn, wire.SYNC, onData);
    } else {
      onData(wire.readyForQuery(conn.tx));
    }
  }

  /** DISCARD ALL, RESET ALL, DEALLOCATE ALL, applied to this connection's share of the session only. */
  private async emulate(conn: ClientConnection, special: GuardSpecial, onData: OnData): Promise<void> {
    if (conn.tx !== 'I' || (this.session.holds(conn) && this.db.isInTransaction())) {
      return this.refuse(conn, true, '25001', `${SPECIAL_TAGS[special]} cannot run inside a transaction block`, onData);
    }
    try {
      await this.session.run(conn, this.busyTimeoutMs, async () => {
        if (special !== 'deallocate-all') await this.session.resetSettings(conn);
        if (special !== 'reset-all') await this.deallocate(conn);
        if (special === 'discard-all') await conn.cursors.close((sql) => this.db.exec(sql), true);
      });
    } catch (err) {
      if (err instanceof BiSessionBusyError) return this.refuse(conn, true, '55P03', err.message, onData);
      throw err;
    }
    if (this.session.holds(conn)) {
      // a simple query ends any extended exchange the client left open (and its implicit transaction)
      if (conn.inSequence) await this.raw(wire.SYNC, () => undefined);
      conn.inSequence = false;
      this.session.release(conn);
    }
    onData(wire.commandComplete(SPECIAL_TAGS[special]));
    onData(wire.readyForQuery('I'));
  }

  private async deallocate(conn: ClientConnection): Promise<void> {
    for (const name of conn.statements) await this.db.exec(`DEALLOCATE ${quoteIdent(name)}`).catch(() => undefined);
    conn.statements.clear();
  }
}
