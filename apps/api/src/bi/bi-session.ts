// Shares the single PostgreSQL session of an embedded PGlite between the BI store and the SQL clients: one owner
// at a time (first come, first served, with a wait limit), and each owner's session settings put back on switch.
import type { PGlite } from '@electric-sql/pglite';
import { quoteIdent } from './bi-sql';

/**
 * Who may hold the session: one store call or one SQL client connection. Holds are re-entrant per owner object,
 * so each store call brings its own; owners sharing a settings map (all store calls) share session settings.
 */
export interface SessionOwner {
  /** For messages: 'connection #3 from 127.0.0.1:50000', 'the BI store'. */
  readonly label: string;
  /** Setting name (lower case) -> the SQL statement that sets it, replayed when the owner gets the session back. */
  readonly settings: Map<string, string>;
}

/** A wait for the session that ran past its limit; `code` is stable for callers (HTTP 503, SQLSTATE 55P03). */
export class BiSessionBusyError extends Error {
  readonly code = 'BI_BUSY';
}

interface Waiter {
  owner: SessionOwner;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class BiSession {
  private holder: SessionOwner | null = null;
  private heldSince = 0;
  /** The settings the PostgreSQL session carries now, by the owner's map (empty: the defaults). */
  private applied: ReadonlyMap<string, string> = new Map();
  private waiters: Waiter[] = [];

  /**
   * @param db the PGlite whose one session is shared
   * @param defaults the value of each client-settable setting at start, restored when an owner that changed it
   *   hands over to one that did not
   */
  constructor(
    private readonly db: PGlite,
    private readonly defaults: ReadonlyMap<string, string>,
  ) {}

  holds(owner: SessionOwner): boolean {
    return this.holder === owner;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Waits until `owner` holds the session (at most timeoutMs), then puts the owner's settings in place. */
  async acquire(owner: SessionOwner, timeoutMs: number): Promise<void> {
    if (this.holder === owner) return;
    if (this.holder === null && this.waiters.length === 0) {
      this.take(owner);
    } else {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w.timer !== timer);
          const held = this.holder ? `${this.holder.label} has held it for ${((Date.now() - this.heldSince) / 1000).toFixed(1)} s (an unfinished query, or an extended-protocol exchange not yet ended by Sync)` : 'other callers were ahead';
          reject(new BiSessionBusyError(`the embedded BI database is busy: it has one session and ${held}; ${owner.label} waited ${timeoutMs} ms: retry, or end that transaction`));
        }, timeoutMs);
        this.waiters.push({ owner, resolve, reject, timer });
      });
    }
    await this.switchTo(owner);
  }

  /** Hands the session to the next waiter; a no-op unless `owner` holds it. */
  release(owner: SessionOwner): void {
    if (this.holder !== owner) return;
    this.holder = null;
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      this.take(next.owner);
      next.resolve();
    }
  }

  /** Runs fn while holding the session (re-entrant: keeps a hold the owner already had). */
  async run<T>(owner: SessionOwner, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const had = this.holds(owner);
    if (!had) await this.acquire(owner, timeoutMs);
    try {
      return await fn();
    } finally {
      if (!had) this.release(owner);
    }
  }

  /** Ends every wait of `owner` with `reason` (its connection closed). */
  cancel(owner: SessionOwner, reason: Error): void {
    for (const w of this.waiters.filter((w) => w.owner === owner)) {
      clearTimeout(w.timer);
      w.reject(reason);
    }
    this.waiters = this.waiters.filter((w) => w.owner !== owner);
  }

  /** Ends every wait (the store is closing). */
  cancelAll(reason: Error): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(reason);
    }
    this.waiters = [];
  }

  /** Puts the owner's settings back to the defaults and forgets them (DISCARD ALL, RESET ALL); call while holding. */
  async resetSettings(owner: SessionOwner): Promise<void> {
    await this.restore([...owner.settings.keys()]);
    owner.settings.clear();
  }

  private take(owner: SessionOwner): void {
    this.holder = owner;
    this.heldSince = Date.now();
  }

  /**
   * Settings live in the one session all owners share: a client's DateStyle would otherwise reach the next
   * client (and the store's own parsers). Restore what the previous owner changed, then replay the new owner's.
   */
  private async switchTo(owner: SessionOwner): Promise<void> {
    if (this.applied === owner.settings) return;
    const previous = this.applied;
    this.applied = owner.settings;
    await this.restore([...previous.keys()].filter((name) => !owner.settings.has(name)));
    for (const statement of new Set(owner.settings.values())) {
      // a value PostgreSQL refused when the client set it is refused again: nothing to restore then
      await this.db.exec(statement).catch(() => undefined);
    }
  }

  private async restore(names: string[]): Promise<void> {
    for (const name of names) {
      const value = this.defaults.get(name);
      const done = value === undefined ? this.db.exec(`RESET ${quoteIdent(name)}`) : this.db.query('SELECT pg_catalog.set_config($1, $2, false)', [name, value]);
      await done.catch(() => undefined);
    }
  }
}
