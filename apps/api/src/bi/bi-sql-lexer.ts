// A PostgreSQL lexer just deep enough to find statements, keywords and names: comments (nested), string literals
// ('', E'', B'', X'', N'', $tag$), quoted identifiers, parameters. Assumes standard_conforming_strings = on.

export interface SqlToken {
  /** word: unquoted name or keyword (lower case); ident: "quoted name" (as written, quotes undone). */
  kind: 'word' | 'ident' | 'string' | 'number' | 'param' | 'punct' | 'semi';
  text: string;
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** End (exclusive) of the quoted run opening at `open`, or -1 when it never closes. */
function quotedEnd(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  let j = open + 1;
  while (j < sql.length) {
    const ch = sql[j];
    if (backslashEscapes && ch === '\\') j += 2;
    else if (ch === quote) {
      if (sql[j + 1] !== quote) return j + 1;
      j += 2;
    } else j++;
  }
  return -1;
}

export function lexSql(sql: string): { tokens: SqlToken[] } | { error: string } {
  const tokens: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: SqlToken['kind'], text: string, start: number, end: number) => tokens.push({ kind, text, start, end });
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/[ \t\n\r\f\v]/.test(c)) {
      // PostgreSQL's whitespace only: other Unicode spaces are identifier characters to it
      i++;
    } else if (c === '-' && next === '-') {
      // a -- comment ends at \n or \r, as in PostgreSQL's scanner
      let j = i + 2;
      while (j < n && sql[j] !== '\n' && sql[j] !== '\r') j++;
      i = j;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) return { error: 'unterminated /* comment' };
    } else if ((c === 'u' || c === 'U') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      return { error: 'U&"..." and U&\'...\' Unicode escapes are not accepted: write the characters themselves' };
    } else if (c === "'" || (/[eEbBxXnN]/.test(c) && next === "'")) {
      const open = c === "'" ? i : i + 1;
      const end = quotedEnd(sql, open, "'", c === 'e' || c === 'E');
      if (end < 0) return { error: 'unterminated quoted string' };
      push('string', sql.slice(open + 1, end - 1), i, end);
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      if (end < 0) return { error: 'unterminated quoted identifier' };
      push('ident', sql.slice(i + 1, end - 1).replace(/""/g, '"'), i, end);
      i = end;
    } else if (c === '$' && next !== undefined && /[0-9]/.test(next)) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j])) j++;
      push('param', sql.slice(i, j), i, j);
      i = j;
    } else if (c === '$') {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(sql);
      if (!m) {
        push('punct', c, i, i + 1);
        i++;
        continue;
      }
      const close = sql.indexOf(m[0], i + m[0].length);
      if (close < 0) return { error: `unterminated dollar-quoted string ${m[0]}` };
      push('string', sql.slice(i + m[0].length, close), i, close + m[0].length);
      i = close + m[0].length;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(sql[j])) j++;
      push('word', sql.slice(i, j).toLowerCase(), i, j);
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j])) j++;
      push('number', sql.slice(i, j), i, j);
      i = j;
    } else if (c === ';') {
      push('semi', c, i, i + 1);
      i++;
    } else {
      push('punct', c, i, i + 1);
      i++;
    }
  }
  return { tokens };
}
