// Turns the records of an events file (CSV, TSV or Parquet) into typed arrays, checking every value's type:
// user and item are strings or integers, timestamp a number (Unix seconds) or an ISO 8601 date, rating and weight
// finite numbers, split train/valid/test (or 0/1/2). Columns are found by name; the names are flags.
import { InputFileError } from '../errors';
import { Growable } from './growable';
import { NO_SPLIT } from './collapse-events';
import type { InterRows } from './inter-reader';
import { TokenTable } from './token-table';

export type EventRole = 'user' | 'item' | 'timestamp' | 'rating' | 'weight' | 'split';
export const EVENT_ROLES: readonly EventRole[] = ['user', 'item', 'timestamp', 'rating', 'weight', 'split'];

/** Column name of each role; a role named explicitly must exist, a defaulted optional one may be absent. */
export type EventColumns = Record<EventRole, string>;
export const DEFAULT_EVENT_COLUMNS: EventColumns = { user: 'user', item: 'item', timestamp: 'timestamp', rating: 'rating', weight: 'weight', split: 'split' };

const SPLIT_VALUES: Readonly<Record<string, number>> = { train: 0, valid: 1, validation: 1, test: 2, '0': 0, '1': 1, '2': 2 };

/** A cell as a reader gives it: CSV gives strings, Parquet typed values. */
export type Cell = string | number | bigint | boolean | Date | null | undefined;

export class EventSink {
  private index: Partial<Record<EventRole, number>> | undefined;
  private readonly users = new Growable(Int32Array);
  private readonly items = new Growable(Int32Array);
  private readonly splits = new Growable(Uint8Array);
  private readonly ratings = new Growable(Float64Array);
  private readonly timestamps = new Growable(Float64Array);
  private readonly weights = new Growable(Float64Array);
  private readonly userTable = new TokenTable();
  private readonly itemTable = new TokenTable();
  /** With an event id column: each event's id, and the event that first had each id. */
  private readonly keys = new Growable(Int32Array);
  private readonly keyTable = new TokenTable();
  private readonly keyEvent = new Growable(Int32Array);
  private keyColumn: number | undefined;
  private keyDuplicates = 0;
  private width = 0;

  /**
   * file: for messages; explicit: the roles whose column the person named (they must exist); eventIdColumn: the
   * column of the events' own ids (`--event-id-col`), which then identify events instead of their content.
   */
  constructor(
    private readonly file: string,
    private readonly columns: EventColumns,
    private readonly explicit: ReadonlySet<EventRole>,
    private readonly eventIdColumn?: string,
  ) {}

  header(names: readonly string[], where: string): void {
    const index: Partial<Record<EventRole, number>> = {};
    for (const role of EVENT_ROLES) {
      const k = names.indexOf(this.columns[role]);
      if (k >= 0) index[role] = k;
      else if (role === 'user' || role === 'item' || this.explicit.has(role)) {
        throw new InputFileError(this.file, where,
          `no column '${this.columns[role]}' for the ${role} (found ${names.map((n) => `'${n}'`).join(', ')}): name it with --${role}-col`);
      }
    }
    if (this.eventIdColumn !== undefined) {
      this.keyColumn = names.indexOf(this.eventIdColumn);
      if (this.keyColumn < 0) {
        throw new InputFileError(this.file, where,
          `no column '${this.eventIdColumn}' for the event id (found ${names.map((n) => `'${n}'`).join(', ')}): name it with --event-id-col`);
      }
    }
    this.index = index;
    this.width = names.length;
  }

  /** One event; `where` locates it for messages ("line 12", "row 10"). */
  record(cells: readonly Cell[], where: () => string): void {
    const index = this.index!;
    if (cells.length !== this.width) this.fail(where(), `${cells.length} columns, expected ${this.width} as in the header`);
    const user = this.userTable.idOf(this.id(cells[index.user!], 'user', where));
    const item = this.itemTable.idOf(this.id(cells[index.item!], 'item', where));
    const time = index.timestamp !== undefined ? this.time(cells[index.timestamp], where) : Number.NaN;
    const rating = index.rating !== undefined ? this.number(cells[index.rating], 'rating', where) : Number.NaN;
    const weight = index.weight !== undefined ? this.number(cells[index.weight], 'weight', where) : Number.NaN;
    const split = index.split === undefined ? NO_SPLIT : this.split(cells[index.split], where);
    if (this.keyColumn !== undefined) {
      const key = this.keyTable.idOf(this.eventId(cells[this.keyColumn], where));
      if (key < this.keyEvent.length) {
        // the same id again: the same event twice (counted once), or two events under one id (refused)
        const e = this.keyEvent.values()[key];
        const same = (a: Growable<Float64Array>, v: number, used: boolean) => !used || sameNumber(a.values()[e], v);
        if (this.users.values()[e] === user && this.items.values()[e] === item && this.splits.values()[e] === split &&
            same(this.timestamps, time, index.timestamp !== undefined) && same(this.ratings, rating, index.rating !== undefined) &&
            same(this.weights, weight, index.weight !== undefined)) {
          this.keyDuplicates++;
          return;
        }
        this.fail(where(), `event id ${describe(cells[this.keyColumn])} in column '${this.eventIdColumn}' is already the id of the file's event ${e + 1}, ` +
          'which has another user, item, time, rating, weight or split: expected one event per id');
      }
      this.keyEvent.push(this.users.length);
      this.keys.push(key);
    }
    this.users.push(user);
    this.items.push(item);
    if (index.timestamp !== undefined) this.timestamps.push(time);
    if (index.rating !== undefined) this.ratings.push(rating);
    if (index.weight !== undefined) this.weights.push(weight);
    this.splits.push(split);
  }

  rows(bytes: number): InterRows {
    if (!this.index) throw new InputFileError(this.file, undefined, 'the file is empty: expected a header and one event per row');
    if (this.users.length === 0) throw new InputFileError(this.file, undefined, 'no events after the header');
    const i = this.index;
    return {
      count: this.users.length,
      users: this.users.values(),
      items: this.items.values(),
      splits: this.splits.values(),
      ratings: i.rating !== undefined ? this.ratings.values() : undefined,
      timestamps: i.timestamp !== undefined ? this.timestamps.values() : undefined,
      weights: i.weight !== undefined ? this.weights.values() : undefined,
      splitGiven: i.split !== undefined,
      userTokens: this.userTable.tokens,
      itemTokens: this.itemTable.tokens,
      ...(this.keyColumn !== undefined ? { eventKeys: this.keys.values(), eventKeyTokens: this.keyTable.tokens, keyDuplicates: this.keyDuplicates } : {}),
      bytes,
    };
  }

  private fail(where: string, reason: string): never {
    throw new InputFileError(this.file, where, reason);
  }

  private id(cell: Cell, role: EventRole, where: () => string): string {
    if (typeof cell === 'string') {
      if (cell === '') this.fail(where(), `empty ${role} id in column '${this.columns[role]}'`);
      return cell;
    }
    if (typeof cell === 'bigint' || (typeof cell === 'number' && Number.isSafeInteger(cell))) return String(cell);
    return this.fail(where(), `${role} ${describe(cell)} in column '${this.columns[role]}' is not an id: expected a string or an integer`);
  }

  private eventId(cell: Cell, where: () => string): string {
    if (typeof cell === 'string' && cell !== '') return cell;
    if (typeof cell === 'bigint' || (typeof cell === 'number' && Number.isSafeInteger(cell))) return String(cell);
    return this.fail(where(), `event id ${describe(cell)} in column '${this.eventIdColumn}' is not an id: expected a non-empty string or an integer`);
  }

  private number(cell: Cell, role: EventRole, where: () => string): number {
    if (cell === null || cell === undefined || cell === '') return Number.NaN;
    const v = typeof cell === 'string' ? Number(cell) : typeof cell === 'number' || typeof cell === 'bigint' ? Number(cell) : Number.NaN;
    if (!Number.isFinite(v)) this.fail(where(), `${role} ${describe(cell)} in column '${this.columns[role]}' is not a finite number`);
    if (role === 'weight' && v < 0) this.fail(where(), `weight ${describe(cell)} is negative: expected a weight of 0 or more`);
    return v;
  }

  private time(cell: Cell, where: () => string): number {
    if (cell instanceof Date) return cell.getTime() / 1000;
    if (typeof cell === 'string' && cell !== '' && !/^-?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(cell.trim())) {
      const ms = Date.parse(cell);
      if (Number.isNaN(ms)) {
        this.fail(where(), `timestamp ${describe(cell)} in column '${this.columns.timestamp}' is neither a number of Unix seconds nor an ISO 8601 date`);
      }
      return Math.floor(ms / 1000);
    }
    return this.number(cell, 'timestamp', where);
  }

  private split(cell: Cell, where: () => string): number {
    const key = typeof cell === 'string' ? cell.trim().toLowerCase() : typeof cell === 'number' || typeof cell === 'bigint' ? String(cell) : '';
    const v = SPLIT_VALUES[key];
    if (v === undefined) {
      this.fail(where(), `unknown split ${describe(cell)} in column '${this.columns.split}': expected train, valid or test (or 0, 1, 2)`);
    }
    return v;
  }
}

const sameNumber = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

function describe(cell: Cell): string {
  if (cell === null || cell === undefined) return 'null';
  if (typeof cell === 'string') return `'${cell.length > 60 ? `${cell.slice(0, 60)}...` : cell}'`;
  if (cell instanceof Date) return cell.toISOString();
  return `${String(cell)} (${typeof cell})`;
}
