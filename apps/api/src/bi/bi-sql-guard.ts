// Decides which SQL a client of the embedded BI endpoint may run: reads, transaction control and display settings;
// nothing that writes, changes the role, turns read-only off or runs SQL text built at run time.
//
// Why text is checked at all: PGlite has one PostgreSQL session whose session user is always the superuser
// `postgres`, so a client could leave the read-only role with RESET ROLE, SET SESSION AUTHORIZATION or
// set_config('role', ...). Statements are read with PostgreSQL's own grammar (libpg_query, the parser of
// PostgreSQL 17 compiled to WebAssembly), so each verdict is about the statements PostgreSQL will run, whatever
// comments, quoting, Unicode escapes, CTEs or statement lists surround them.
import { parse } from 'libpg-query';
import { statementTag, walkSqlTree, type SqlNode } from './bi-sql-tree';

/**
 * Settings clients may change (lower case): display and timeout settings only, never role, read-only or lexing.
 * Not idle_in_transaction_session_timeout: PGlite hangs for good once it is set and a transaction idles.
 */
export const CLIENT_SETTINGS: readonly string[] = [
  'application_name', 'bytea_output', 'client_encoding', 'client_min_messages', 'datestyle', 'default_transaction_deferrable',
  'default_transaction_isolation', 'extra_float_digits', 'intervalstyle', 'lock_timeout', 'search_path', 'statement_timeout',
  'timezone', 'work_mem',
];

/** Statements that only read, move a cursor, end a transaction or manage this client's prepared statements. */
const READ_STATEMENTS = new Set([
  'SelectStmt', 'ExplainStmt', 'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt', 'PrepareStmt', 'ExecuteStmt', 'DeallocateStmt',
  'VariableShowStmt', 'UnlistenStmt', 'TransactionStmt', 'VariableSetStmt', 'DiscardStmt',
]);

/**
 * Functions that change settings (set_config('role', ...)), run SQL given as text (query_to_xml, ts_stat,
 * ts_rewrite, dblink), touch the server's files or other sessions, take session-level locks that would stay
 * with the shared session (advisory locks), write large objects, or only wait (pg_sleep); by name, any schema.
 */
const DENIED_FUNCTIONS = new Set([
  'set_config', 'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'ts_stat', 'ts_rewrite', 'lowrite', 'loread', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'pg_read_file', 'pg_read_binary_file',
  'pg_ls_dir', 'pg_stat_file', 'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_notify',
  'nextval', 'setval', 'pg_log_backend_memory_contexts',
]);
const DENIED_PREFIXES = ['lo_', 'dblink', 'pg_advisory', 'pg_try_advisory', 'pg_file_', 'pg_ls_'];

export interface SettingChange {
  /** Setting names the statement changes (lower case). */
  names: string[];
  /** The statement's own text, replayed when the client gets the shared session back. */
  statement: string;
}

export type GuardSpecial = 'discard-all' | 'reset-all' | 'deallocate-all';

export type GuardVerdict =
  | { ok: true; settings: SettingChange[]; special?: GuardSpecial }
  | { ok: false; code: string; message: string };

const READ_ONLY = '25006'; // read_only_sql_transaction
const PRIVILEGE = '42501'; // insufficient_privilege
const ALLOWED = 'clients may run SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DECLARE/FETCH/MOVE/CLOSE, PREPARE/EXECUTE/DEALLOCATE, transaction control and SET/RESET of display settings';

const deny = (message: string, code = READ_ONLY): GuardVerdict => ({ ok: false, code, message: `the BI SQL endpoint is read-only: ${message}` });
const pass = (settings: SettingChange[] = []): GuardVerdict => ({ ok: true, settings });

type ParseTree = { stmts?: { stmt: SqlNode; stmt_location?: number; stmt_len?: number }[] };

/** The verdict on one client message's SQL (a simple query may hold several statements). */
export async function checkClientSql(sql: string): Promise<GuardVerdict> {
  let tree: ParseTree;
  if (sql.trim() === '') return pass(); // libpg_query refuses an empty text; PostgreSQL answers EmptyQueryResponse
  try {
    tree = (await parse(sql)) as ParseTree;
  } catch (err) {
    // the grammar is PostgreSQL's: what it cannot read, PostgreSQL would refuse the same way
    const position = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    return { ok: false, code: '42601', message: `${(err as Error).message}${position === undefined ? '' : ` (at character ${position + 1})`}` };
  }
  const statements = tree.stmts ?? [];
  const bytes = Buffer.from(sql, 'utf8');
  const settings: SettingChange[] = [];
  let special: GuardSpecial | undefined;
  for (const { stmt, stmt_location: at = 0, stmt_len: length } of statements) {
    // locations are byte offsets into the UTF-8 text; a length of 0 (left out) runs to the end
    const text = bytes.subarray(at, length ? at + length : bytes.length).toString('utf8').trim();
    const verdict = checkStatement(stmt, text);
    if (!verdict.ok) return verdict;
    settings.push(...verdict.settings);
    if (verdict.special) {
      if (statements.length > 1) return deny(`${verdict.special.replace('-', ' ').toUpperCase()} must be sent on its own, not with other statements`);
      special = verdict.special;
    }
  }
  return special ? { ok: true, settings, special } : pass(settings);
}

function checkStatement(stmt: SqlNode, text: string): GuardVerdict {
  const [type, body] = Object.entries(stmt)[0] as [string, SqlNode];
  if (!READ_STATEMENTS.has(type)) return deny(`${statementTag(type)} is not allowed; ${ALLOWED}`);
  const inside = checkTree(type, body);
  if (inside) return inside;
  switch (type) {
    case 'TransactionStmt':
      return checkTransaction(body);
    case 'VariableSetStmt':
      return checkSet(body, text);
    case 'VariableShowStmt':
      return pass();
    case 'ClosePortalStmt':
      // cursors of all connections live in the one shared session: ALL would close the others' too
      if (!body.portalname) return { ok: false, code: '0A000', message: 'CLOSE ALL is not supported by the BI SQL endpoint (its session is shared by all connections): close each cursor by name, or send DISCARD ALL' };
      return pass();
    case 'DiscardStmt':
      return body.target === 'DISCARD_ALL' ? { ok: true, settings: [], special: 'discard-all' } : pass();
    case 'DeallocateStmt':
      if (body.isall) return { ok: true, settings: [], special: 'deallocate-all' };
      return checkStatementName(body.name);
    case 'PrepareStmt':
    case 'ExecuteStmt':
      return checkStatementName(body.name);
    default:
      return pass();
  }
}

/**
 * Looks through every node of a statement (subqueries, CTEs, EXPLAIN's and DECLARE's query, PREPARE's body) for a
 * write, a SELECT INTO, a row lock or a denied function; null when there is none.
 */
function checkTree(rootType: string, root: SqlNode): GuardVerdict | null {
  let verdict: GuardVerdict | null = null;
  const inspect = (type: string, node: SqlNode, nested: boolean): boolean => {
    if (nested && type.endsWith('Stmt') && type !== 'SelectStmt') verdict = deny(`${statementTag(type)} is not allowed inside another statement; ${ALLOWED}`);
    else if (type === 'SelectStmt' && node.intoClause) verdict = deny('SELECT INTO creates a table and is not allowed');
    else if (type === 'SelectStmt' && node.lockingClause) verdict = deny('SELECT ... FOR UPDATE/SHARE locks rows and is not allowed');
    else if (type === 'FuncCall') verdict = checkFunction(node.funcname as SqlNode[]);
    return verdict === null;
  };
  if (inspect(rootType, root, false)) walkSqlTree(root, (type, node) => inspect(type, node, true));
  return verdict;
}

function checkFunction(funcname: SqlNode[]): GuardVerdict | null {
  const last = funcname[funcname.length - 1] as { String?: { sval?: string } };
  const name = (last.String?.sval ?? '').toLowerCase();
  if (!DENIED_FUNCTIONS.has(name) && !DENIED_PREFIXES.some((p) => name.startsWith(p))) return null;
  return deny(`${name} is not allowed (it changes settings, runs SQL given as text, reaches files or other sessions, takes session locks, writes or stalls the shared session)`, PRIVILEGE);
}

/** The endpoint names protocol-level statements eior_c<connection>_<name>; SQL must not reach another's. */
function checkStatementName(name: unknown): GuardVerdict {
  if (typeof name === 'string' && /^eior_/i.test(name)) return deny(`prepared statement names starting with eior_ are reserved by the endpoint, got ${name}`, PRIVILEGE);
  return pass();
}

/** True when options (BEGIN/SET TRANSACTION ...) ask for READ WRITE: transaction_read_only = 0. */
function asksReadWrite(options: unknown): boolean {
  return ((options as SqlNode[] | undefined) ?? []).some((o) => {
    const def = (o as { DefElem?: { defname?: string; arg?: { A_Const?: { ival?: { ival?: number } } } } }).DefElem;
    return def?.defname === 'transaction_read_only' && !def.arg?.A_Const?.ival?.ival;
  });
}

function checkTransaction(body: SqlNode): GuardVerdict {
  const kind = String(body.kind);
  if (['TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED'].includes(kind)) return deny('two-phase commit (PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED) is not allowed');
  return asksReadWrite(body.options) ? deny('READ WRITE transactions are not allowed') : pass();
}

function checkSet(body: SqlNode, text: string): GuardVerdict {
  const kind = String(body.kind);
  const name = String(body.name ?? '');
  const verb = kind === 'VAR_RESET' ? 'RESET' : 'SET';
  if (kind === 'VAR_RESET_ALL') return { ok: true, settings: [], special: 'reset-all' };
  if (kind === 'VAR_SET_MULTI') {
    // SET TRANSACTION ... / SET SESSION CHARACTERISTICS AS TRANSACTION ...
    if (asksReadWrite(body.args)) return deny(`SET ${name} READ WRITE is not allowed`);
    if (name === 'TRANSACTION') return pass();
    return pass([{ names: ['default_transaction_isolation', 'default_transaction_deferrable', 'default_transaction_read_only'], statement: text }]);
  }
  if (name === 'role' || name === 'session_authorization') return deny(`${verb} ${name === 'role' ? 'ROLE' : 'SESSION AUTHORIZATION'} is not allowed`, PRIVILEGE);
  if (name.includes('.')) return deny(`${verb} of custom settings (${name}) is not allowed`);
  if (!CLIENT_SETTINGS.includes(name)) return deny(`${verb} ${name} is not allowed: clients may change only ${CLIENT_SETTINGS.join(', ')}`);
  if (name === 'client_encoding' && kind === 'VAR_SET_VALUE') {
    // the guard reads the SQL as UTF-8; PostgreSQL reads it in the client encoding, and in SJIS or BIG5 a byte
    // 0x5C (backslash) inside a character would make the two see different strings
    const value = String((body.args as { A_Const?: { sval?: { sval?: string } } }[] | undefined)?.[0]?.A_Const?.sval?.sval ?? '');
    if (!['utf8', 'unicode'].includes(value.toLowerCase().replace(/[-_]/g, ''))) return deny(`client_encoding must stay UTF8, got ${value || 'none'}`);
  }
  return pass(body.is_local ? [] : [{ names: [name], statement: text }]);
}
