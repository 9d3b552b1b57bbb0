// Portals read a few rows at a time (an Execute with a row limit: pgjdbc with a fetch size and autocommit off),
// kept in the connection instead of in the shared PostgreSQL session. The first Execute runs the portal to its end
// and the connection keeps the rows past the limit; later Executes, Describe and Close of that portal are answered
// from here, so the connection holds the session only for the first one and the others are answered meanwhile.
// The rows are taken at the first Execute, which is what READ COMMITTED shows a portal anyway; they are dropped
// when the portal is closed or the client's transaction ends, as PostgreSQL drops portals.
import * as wire from './bi-wire';

interface BufferedPortal {
  /** RowDescription (or NoData) of the portal, for a later Describe. */
  description: Uint8Array;
  /** DataRow messages not yet sent. */
  rows: Uint8Array[];
  /** The CommandComplete tag of the whole run ("SELECT 9"); its count is rewritten per Execute. */
  tag: string;
}

/** The tag PostgreSQL gives an Execute that returned `count` rows of a portal whose whole run had `tag`. */
const tagFor = (tag: string, count: number): string => tag.replace(/\d+$/, String(count));

export class ConnectionPortals {
  private readonly portals = new Map<string, BufferedPortal>();

  has(name: string): boolean {
    return this.portals.has(name);
  }

  get size(): number {
    return this.portals.size;
  }

  /** A Bind replaces a portal of that name (the unnamed one), or the client closed it. */
  drop(name: string): void {
    this.portals.delete(name);
  }

  /** The client's transaction ended: its portals are gone. */
  clear(): void {
    this.portals.clear();
  }

  /**
   * Takes the full run of a portal (`description`: what Describe portal answered; `output`: every backend message
   * of an Execute without a row limit) and returns what PostgreSQL would send for an Execute limited to `maxRows`;
   * the rest is kept for later Executes. A run that ended in an error sends its first rows and the error at once.
   */
  take(name: string, maxRows: number, description: Uint8Array, output: Uint8Array[]): Uint8Array[] {
    const rows = output.filter((m) => m[0] === 0x44 /* 'D' DataRow */);
    const end = output.filter((m) => m[0] !== 0x44);
    const complete = end.find((m) => m[0] === 0x43 /* 'C' */);
    if (rows.length <= maxRows || !complete || end.some((m) => m[0] === 0x45 /* 'E' */)) {
      return rows.length <= maxRows ? output : [...rows.slice(0, maxRows), ...end];
    }
    this.portals.set(name, { description, rows: rows.slice(maxRows), tag: wire.commandTag(complete) });
    return [...end.filter((m) => m !== complete), ...rows.slice(0, maxRows), wire.PORTAL_SUSPENDED];
  }

  /** The answer to an Execute of a kept portal: the next rows, then PortalSuspended or CommandComplete. */
  execute(name: string, maxRows: number): Uint8Array[] {
    const portal = this.portals.get(name);
    if (!portal) throw new Error(`portal ${JSON.stringify(name)} is not kept here`);
    const take = maxRows > 0 ? Math.min(maxRows, portal.rows.length) : portal.rows.length;
    const sent = portal.rows.splice(0, take);
    // a run that reaches the limit is suspended even when no rows are left, as PostgreSQL does: it does not look
    // ahead; the next Execute then completes with 0 rows
    if (maxRows > 0 && sent.length === maxRows) return [...sent, wire.PORTAL_SUSPENDED];
    return [...sent, wire.commandComplete(tagFor(portal.tag, sent.length))];
  }

  describe(name: string): Uint8Array {
    const portal = this.portals.get(name);
    if (!portal) throw new Error(`portal ${JSON.stringify(name)} is not kept here`);
    return portal.description;
  }
}
