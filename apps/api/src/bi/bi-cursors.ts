// SQL cursors of the embedded BI endpoint, kept per connection without holding the shared session: DECLARE runs
// as DECLARE ... WITH HOLD under a name of the connection's own (eior_k<connection>_<name>), FETCH, MOVE and CLOSE
// are renamed to match. PostgreSQL materialises a holdable cursor's rows when the transaction that declared it
// commits, so the connection's block can be ended between exchanges like any other and the cursor still answers
// FETCH later; the connection queue closes the cursors a client declared WITHOUT HOLD when its block ends, as
// PostgreSQL would, and all of them when it disconnects.
//
// The rewrite is textual (libpg_query gives no positions for cursor names): a small lexer finds the name and the
// CURSOR ... FOR keywords, and the rewritten text is parsed again and must give the same statements with only the
// name and the hold option changed; anything else is refused rather than run differently from what was sent.
import { parse } from 'libpg-query';
import { quoteIdent } from './bi-sql';
import type { SqlNode } from './bi-sql-tree';

/** DECLARE's option bit for WITH HOLD (PostgreSQL's CURSOR_OPT_HOLD). */
const CURSOR_OPT_HOLD = 0x20;

export interface CursorRewrite {
  /** The SQL to run instead of the client's. */
  sql: string;
  /** Cursors the statements declare, by server name, and whether the client asked WITH HOLD. */
  declared: { name: string; hold: boolean }[];
  /** Server names of the cursors the statements close. */
  closed: string[];
}

type Statement = { stmt: SqlNode; stmt_location?: number; stmt_len?: number };
interface Token {
  start: number;
  end: number;
  /** Lower-cased text of an unquoted word; null for anything else. */
  word: string | null;
}

/**
 * The server-side name of a client's cursor on connection `id`, cut to PostgreSQL's 63 bytes as its lexer would
 * cut it (two long names alike in their first bytes then meet, as they would on PostgreSQL).
 */
export function cursorServerName(id: number, name: string): string {
  let full = `eior_k${id}_${name}`;
  while (Buffer.byteLength(full, 'utf8') > 63) full = full.slice(0, -1);
  return full;
}

/** Whether the SQL may hold cursor statements (a cheap look before parsing it again). */
export const mentionsCursor = (sql: string): boolean => /\b(declare|fetch|move|close)\b/i.test(sql);

/**
 * Rewrites the cursor statements of `sql` (already passed by the guard) for connection `id`; null when it has none.
 * Throws when the rewrite cannot be checked to mean the same thing (the caller refuses the statement).
 */
export async function rewriteCursorSql(sql: string, id: number): Promise<CursorRewrite | null> {
  if (!mentionsCursor(sql)) return null;
  const statements = ((await parse(sql)) as { stmts?: Statement[] }).stmts ?? [];
  const bytes = Buffer.from(sql, 'utf8');
  const edits: { start: number; end: number; text: string }[] = [];
  const result: CursorRewrite = { sql, declared: [], closed: [] };
  const expected: SqlNode[] = [];
  for (const { stmt, stmt_location: at = 0, stmt_len: length } of statements) {
    const [type, body] = Object.entries(stmt)[0] as [string, SqlNode];
    const tokens = lex(bytes, at, length ? at + length : bytes.length);
    const name = typeof body.portalname === 'string' ? cursorServerName(id, body.portalname) : null;
    if (type === 'DeclareCursorStmt' && name) {
      const options = Number(body.options ?? 0);
      const cursorAt = tokens.findIndex((t, i) => i >= 2 && t.word === 'cursor');
      const forAt = tokens.findIndex((t, i) => i > cursorAt && t.word === 'for');
      if (tokens[0]?.word !== 'declare' || cursorAt < 0 || forAt < 0) throw new Error('DECLARE could not be read for rewriting');
      edits.push({ start: tokens[1].start, end: tokens[1].end, text: quoteIdent(name) });
      edits.push({ start: tokens[cursorAt].start, end: tokens[forAt].end, text: 'CURSOR WITH HOLD FOR' });
      result.declared.push({ name, hold: (options & CURSOR_OPT_HOLD) !== 0 });
      expected.push({ [type]: { ...body, portalname: name, options: options | CURSOR_OPT_HOLD } });
    } else if (type === 'FetchStmt' && name) {
      const last = tokens[tokens.length - 1];
      if (!last) throw new Error('FETCH could not be read for rewriting');
      edits.push({ start: last.start, end: last.end, text: quoteIdent(name) });
      expected.push({ [type]: { ...body, portalname: name } });
    } else if (type === 'ClosePortalStmt' && name) {
      if (tokens[0]?.word !== 'close' || !tokens[1]) throw new Error('CLOSE could not be read for rewriting');
      edits.push({ start: tokens[1].start, end: tokens[1].end, text: quoteIdent(name) });
      result.closed.push(name);
      expected.push({ [type]: { ...body, portalname: name } });
    } else {
      expected.push(stmt);
    }
  }
  if (edits.length === 0) return null;
  const parts: Buffer[] = [];
  let from = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    parts.push(bytes.subarray(from, edit.start), Buffer.from(edit.text, 'utf8'));
    from = edit.end;
  }
  parts.push(bytes.subarray(from));
  result.sql = Buffer.concat(parts).toString('utf8');
  const failed = new Error('the cursor statement could not be rewritten for this connection');
  const again = await parse(result.sql).then((tree: { stmts?: Statement[] }) => (tree.stmts ?? []).map((s) => s.stmt), () => null);
  if (!again || !sameTree(again, expected)) throw failed;
  return result;
}

/** A connection's SQL cursors: their server names, and whether the client declared each WITH HOLD. */
export class ConnectionCursors {
  private readonly held = new Map<string, boolean>();

  constructor(private readonly connectionId: number) {}

  get size(): number {
    return this.held.size;
  }

  /**
   * The server name of the client's cursor `name` when this connection declared one by that name, else null: a
   * cursor is also a portal, and drivers address it by the protocol too (psycopg 3 describes it with Describe).
   */
  serverNameOf(name: string): string | null {
    const server = cursorServerName(this.connectionId, name);
    return this.held.has(server) ? server : null;
  }

  /** The client's SQL with its cursor statements rewritten (null: none), noting what it declares and closes. */
  async rewrite(sql: string): Promise<CursorRewrite | null> {
    const rewrite = await rewriteCursorSql(sql, this.connectionId);
    for (const { name, hold } of rewrite?.declared ?? []) this.held.set(name, hold);
    for (const name of rewrite?.closed ?? []) this.held.delete(name);
    return rewrite;
  }

  /**
   * Closes the cursors on the shared session with `exec` (those declared WITHOUT HOLD only, or all); a cursor whose
   * DECLARE failed, or that is gone already, is simply not there.
   */
  async close(exec: (sql: string) => Promise<unknown>, all: boolean): Promise<void> {
    for (const [name, hold] of this.held) {
      if (hold && !all) continue;
      this.held.delete(name);
      await exec(`CLOSE ${quoteIdent(name)}`).catch(() => undefined);
    }
  }
}

/** Deep equality of parse trees, leaving out source positions (a rewrite moves the text after it). */
function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => k !== 'location');
  const [ka, kb] = [keys(a), keys(b)];
  return ka.length === kb.length && ka.every((k) => sameTree((a as SqlNode)[k], (b as SqlNode)[k]));
}

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isWordStart = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80;
const isWordPart = (c: number) => isWordStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x24;

/**
 * The tokens of a cursor statement's head between byte offsets `from` and `to`: words, "quoted" identifiers,
 * numbers and single punctuation; spaces and comments skipped. Enough for DECLARE up to FOR, FETCH/MOVE and CLOSE.
 */
function lex(bytes: Buffer, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = bytes[i];
    if (isSpace(c)) {
      i++;
    } else if (c === 0x2d && bytes[i + 1] === 0x2d) {
      while (i < to && bytes[i] !== 0x0a) i++;
    } else if (c === 0x2f && bytes[i + 1] === 0x2a) {
      let depth = 0;
      do {
        if (bytes[i] === 0x2f && bytes[i + 1] === 0x2a) {
          depth++;
          i += 2;
        } else if (bytes[i] === 0x2a && bytes[i + 1] === 0x2f) {
          depth--;
          i += 2;
        } else {
          i++;
        }
      } while (depth > 0 && i < to);
    } else if (c === 0x22) {
      const start = i++;
      while (i < to && !(bytes[i] === 0x22 && bytes[i + 1] !== 0x22)) i += bytes[i] === 0x22 ? 2 : 1;
      tokens.push({ start, end: ++i, word: null });
    } else if (isWordStart(c)) {
      const start = i;
      while (i < to && isWordPart(bytes[i])) i++;
      tokens.push({ start, end: i, word: bytes.toString('utf8', start, i).toLowerCase() });
    } else if (c === 0x3b) {
      i++; // the statement's own terminator
    } else {
      tokens.push({ start: i, end: ++i, word: null });
    }
  }
  return tokens;
}
