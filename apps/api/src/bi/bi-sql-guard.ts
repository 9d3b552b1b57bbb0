// Decides which SQL a client of the embedded BI endpoint may run: reads, transaction control and display settings;
// nothing that writes, changes the role, turns read-only off or runs SQL text built at run time.
//
// Why text is checked at all: PGlite has one PostgreSQL session whose session user is always the superuser
// `postgres`, so a client could leave the read-only role with RESET ROLE, SET SESSION AUTHORIZATION or
// set_config('role', ...). The lexer below follows PostgreSQL's (comments nest, '' and E'\'' strings, $tag$ quotes,
// "quoted names"); with standard_conforming_strings fixed on, each token is the token PostgreSQL sees.
import { lexSql, type SqlToken } from './bi-sql-lexer';

/**
 * Settings clients may change (lower case): display and timeout settings only, never role, read-only or lexing.
 * Not idle_in_transaction_session_timeout: PGlite hangs for good once it is set and a transaction idles.
 */
export const CLIENT_SETTINGS: readonly string[] = [
  'application_name', 'bytea_output', 'client_encoding', 'client_min_messages', 'datestyle', 'default_transaction_deferrable',
  'default_transaction_isolation', 'extra_float_digits', 'intervalstyle', 'lock_timeout', 'search_path', 'statement_timeout',
  'timezone', 'work_mem',
];

/** Commands that only read (or only move a cursor, or end a transaction). */
const READ_COMMANDS = new Set(['select', 'with', 'values', 'table', 'show', 'explain', 'fetch', 'move', 'close', 'declare', 'execute', 'prepare', 'deallocate', 'unlisten']);
const TRANSACTION_COMMANDS = new Set(['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release']);

/** Words that write or define, anywhere in a statement (WITH x AS (DELETE ...), SELECT ... INTO, EXPLAIN ANALYZE INSERT). */
const WRITE_WORDS = new Set([
  'insert', 'update', 'delete', 'merge', 'truncate', 'into', 'create', 'drop', 'alter', 'grant', 'revoke', 'copy', 'call', 'do',
  'vacuum', 'cluster', 'reindex', 'refresh', 'lock', 'comment', 'security', 'import', 'load', 'checkpoint', 'reassign', 'notify', 'listen',
]);

/**
 * Functions that change settings (set_config('role', ...)), run SQL given as text (query_to_xml, ts_stat,
 * ts_rewrite, cursor_to_xml), write large objects, or only wait (pg_sleep: PGlite runs on the API's main thread,
 * where a sleep stalls everything); matched as names, quoted or not.
 */
const DENIED_FUNCTIONS = new Set([
  'set_config', 'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'ts_stat', 'ts_rewrite', 'lowrite', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
]);
const DENIED_PREFIXES = ['lo_', 'dblink'];

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
const ALLOWED = 'clients may run SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DECLARE/FETCH/MOVE/CLOSE, PREPARE/EXECUTE/DEALLOCATE, transaction control and SET/RESET of display settings';

const deny = (message: string, code = READ_ONLY): GuardVerdict => ({ ok: false, code, message: `the BI SQL endpoint is read-only: ${message}` });

const isWord = (t: SqlToken | undefined, ...words: string[]): boolean => t?.kind === 'word' && words.includes(t.text);

/** The verdict on one client message's SQL (a simple query may hold several statements). */
export function checkClientSql(sql: string): GuardVerdict {
  const lexed = lexSql(sql);
  if ('error' in lexed) return { ok: false, code: '42601', message: `the BI SQL endpoint could not read the statement: ${lexed.error}` };
  const statements: SqlToken[][] = [[]];
  for (const token of lexed.tokens) {
    if (token.kind === 'semi') statements.push([]);
    else statements[statements.length - 1].push(token);
  }
  const nonEmpty = statements.filter((s) => s.length > 0);
  const settings: SettingChange[] = [];
  let special: GuardSpecial | undefined;
  for (const tokens of nonEmpty) {
    const verdict = checkStatement(tokens, sql.slice(tokens[0].start, tokens[tokens.length - 1].end));
    if (!verdict.ok) return verdict;
    settings.push(...verdict.settings);
    if (verdict.special) {
      if (nonEmpty.length > 1) return deny(`${verdict.special.replace('-', ' ').toUpperCase()} must be sent on its own, not with other statements`);
      special = verdict.special;
    }
  }
  return special ? { ok: true, settings, special } : { ok: true, settings };
}

function checkStatement(tokens: SqlToken[], text: string): GuardVerdict {
  for (const t of tokens) {
    if (t.kind !== 'word' && t.kind !== 'ident') continue;
    const name = t.kind === 'word' ? t.text : t.text.toLowerCase();
    if (DENIED_FUNCTIONS.has(name) || DENIED_PREFIXES.some((p) => name.startsWith(p))) {
      return deny(`${name} is not allowed (it changes settings, runs SQL given as text, writes large objects or stalls the shared session)`, '42501');
    }
    if (t.kind === 'word' && WRITE_WORDS.has(t.text)) return deny(`${t.text.toUpperCase()} is not allowed; ${ALLOWED}`);
  }
  let k = 0;
  while (tokens[k]?.kind === 'punct' && tokens[k].text === '(') k++;
  const first = tokens[k];
  if (first?.kind !== 'word') return deny(`a statement must start with a command keyword; ${ALLOWED}`);
  const command = first.text;
  const rest = tokens.slice(k + 1);
  const writes = rest.some((t) => isWord(t, 'write'));
  if (TRANSACTION_COMMANDS.has(command)) {
    return writes ? deny('READ WRITE transactions are not allowed') : { ok: true, settings: [] };
  }
  if (READ_COMMANDS.has(command)) {
    if (command === 'prepare' && isWord(rest[0], 'transaction')) return deny('PREPARE TRANSACTION is not allowed');
    // the endpoint names protocol-level statements eior_c<connection>_<name>; SQL must not reach another's
    const named = command === 'deallocate' && isWord(rest[0], 'prepare') ? rest[1] : rest[0];
    if (['prepare', 'execute', 'deallocate'].includes(command) && named && /^eior_/i.test(named.text)) {
      return deny(`prepared statement names starting with eior_ are reserved by the endpoint, got ${named.text}`, '42501');
    }
    if (command === 'deallocate' && (isWord(rest[0], 'all') || (isWord(rest[0], 'prepare') && isWord(rest[1], 'all')))) {
      return { ok: true, settings: [], special: 'deallocate-all' };
    }
    return { ok: true, settings: [] };
  }
  if (command === 'set') return checkSet(rest, text);
  if (command === 'reset') return checkReset(rest, text);
  if (command === 'discard') {
    if (isWord(rest[0], 'all')) return { ok: true, settings: [], special: 'discard-all' };
    if (isWord(rest[0], 'plans', 'sequences', 'temp', 'temporary')) return { ok: true, settings: [] };
    return deny('DISCARD takes ALL, PLANS, SEQUENCES or TEMP');
  }
  return deny(`${command.toUpperCase()} is not allowed; ${ALLOWED}`);
}

/** The setting a SET/RESET names at tokens[0], or a denial. */
function settingName(tokens: SqlToken[], verb: string): { name: string; used: number } | GuardVerdict {
  const [a, b, c] = tokens;
  if (isWord(a, 'role') || (isWord(a, 'session') && isWord(b, 'authorization'))) return deny(`${verb} ${isWord(a, 'role') ? 'ROLE' : 'SESSION AUTHORIZATION'} is not allowed`, '42501');
  if (isWord(a, 'time') && isWord(b, 'zone')) return { name: 'timezone', used: 2 };
  if (isWord(a, 'names')) return { name: 'client_encoding', used: 1 };
  if (a?.kind !== 'word' && a?.kind !== 'ident') return deny(`${verb} needs a setting name`);
  const name = a.text.toLowerCase();
  if (b?.kind === 'punct' && b.text === '.' && c) return deny(`${verb} of custom settings (${name}.${c.text}) is not allowed`);
  if (!CLIENT_SETTINGS.includes(name)) return deny(`${verb} ${name} is not allowed: clients may change only ${CLIENT_SETTINGS.join(', ')}`);
  return { name, used: 1 };
}

function checkSet(tokens: SqlToken[], text: string): GuardVerdict {
  let i = 0;
  let local = false;
  if (isWord(tokens[0], 'session') && !isWord(tokens[1], 'authorization', 'characteristics')) i = 1;
  else if (isWord(tokens[0], 'local')) {
    local = true;
    i = 1;
  }
  const writes = tokens.some((t) => isWord(t, 'write'));
  if (isWord(tokens[i], 'transaction')) return writes ? deny('SET TRANSACTION READ WRITE is not allowed') : { ok: true, settings: [] };
  if (isWord(tokens[0], 'session') && isWord(tokens[1], 'characteristics')) {
    if (writes) return deny('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE is not allowed');
    return { ok: true, settings: [{ names: ['default_transaction_isolation', 'default_transaction_deferrable', 'default_transaction_read_only'], statement: text }] };
  }
  const named = settingName(tokens.slice(i), 'SET');
  if ('ok' in named) return named;
  if (named.name === 'client_encoding') {
    // the guard reads the SQL as UTF-8; PostgreSQL reads it in the client encoding, and in SJIS or BIG5 a byte
    // 0x5C (backslash) inside a character would make the two see different strings
    const value = tokens.slice(i + named.used).find((t) => t.kind !== 'punct' && !isWord(t, 'to'));
    if (!value || !['utf8', 'unicode'].includes(value.text.toLowerCase().replace(/[-_]/g, ''))) {
      return deny(`client_encoding must stay UTF8, got ${value ? value.text : 'none'}`);
    }
  }
  return { ok: true, settings: local ? [] : [{ names: [named.name], statement: text }] };
}

function checkReset(tokens: SqlToken[], text: string): GuardVerdict {
  if (isWord(tokens[0], 'all')) return { ok: true, settings: [], special: 'reset-all' };
  const named = settingName(tokens, 'RESET');
  if ('ok' in named) return named;
  return { ok: true, settings: [{ names: [named.name], statement: text }] };
}
