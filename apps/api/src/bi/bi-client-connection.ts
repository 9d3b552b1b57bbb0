// What the BI endpoint keeps per SQL client connection between its messages: its share of the shared session
// (settings, prepared-statement names, cursors, kept portals), where it is in an exchange, and its transaction status.
import { ConnectionCursors } from './bi-cursors';
import { ConnectionPortals } from './bi-portals';
import type { SessionOwner } from './bi-session';
import type { GuardSpecial } from './bi-sql-guard';

export class ClientConnection implements SessionOwner {
  readonly settings = new Map<string, string>();
  /** Server-side names of this connection's prepared statements, deallocated when it closes. */
  readonly statements = new Set<string>();
  chain: Promise<unknown> = Promise.resolve();
  /** Inside an extended-protocol exchange (Parse ... Sync): the unnamed statement and portal are this client's. */
  inSequence = false;
  /** A message of the exchange was refused or failed: drop the rest up to Sync, as PostgreSQL does after an error. */
  skipUntilSync = false;
  /** The client's transaction status between exchanges: idle, in a block, or in a failed block. */
  tx: 'I' | 'T' | 'E' = 'I';
  closed = false;
  /** Portals read with a row limit, their remaining rows kept here. */
  readonly portals = new ConnectionPortals();
  /** This connection's SQL cursors (DECLARE), under server names of its own. */
  readonly cursors: ConnectionCursors;

  constructor(
    readonly id: number,
    readonly label: string,
  ) {
    this.cursors = new ConnectionCursors(id);
  }

  serverName(name: string): string {
    return `eior_c${this.id}_${name}`;
  }
}

/** Simple-query results PostgreSQL would give for the statements the queue carries out itself. */
export const SPECIAL_TAGS: Record<GuardSpecial, string> = { 'discard-all': 'DISCARD ALL', 'reset-all': 'RESET', 'deallocate-all': 'DEALLOCATE ALL' };
