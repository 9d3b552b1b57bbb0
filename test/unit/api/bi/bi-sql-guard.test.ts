import { checkClientSql } from '../../../../apps/api/src/bi/bi-sql-guard';

const accepted = (sql: string) => {
  const verdict = checkClientSql(sql);
  if (!verdict.ok) throw new Error(`refused ${sql}: ${verdict.message}`);
  return verdict;
};
const refusal = (sql: string) => {
  const verdict = checkClientSql(sql);
  if (verdict.ok) throw new Error(`accepted ${sql}`);
  return verdict.message;
};

describe('checkClientSql', () => {
  it('accepts what BI tools and drivers send on connect and when browsing', () => {
    for (const sql of [
      'SET extra_float_digits = 3',
      "SET application_name = 'PostgreSQL JDBC Driver'",
      'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY',
      "SET TIME ZONE 'Europe/Berlin'",
      "SET NAMES 'UTF8'",
      'SHOW TRANSACTION ISOLATION LEVEL',
      'select version()',
      "SELECT ns.nspname, t.oid, t.typname, t.typtype FROM pg_type AS t JOIN pg_namespace AS ns ON ns.oid = t.typnamespace WHERE t.typtype IN ('b', 'r', 'm', 'e', 'd')",
      `SELECT c.relname, obj_description(c.oid, 'pg_class') AS remarks FROM pg_catalog.pg_class c WHERE c.relkind IN ('r','v','m','f','p') AND c.relnamespace = 'eior'::regnamespace`,
      'BEGIN;declare "SQL_CUR0x7f" cursor with hold for SELECT "recommendations"."rating" FROM "eior"."recommendations";fetch 2048 in "SQL_CUR0x7f"',
      'close "SQL_CUR0x7f"',
      'COMMIT',
      'SELECT "eior"."recommendations"."user_id" AS "user_id" FROM "eior"."recommendations" LIMIT 2000',
      'WITH top AS (SELECT * FROM recommendations WHERE rank <= $1) SELECT count(*) FROM top',
      'EXPLAIN SELECT 1',
      '(SELECT 1) UNION (SELECT 2)',
      'TABLE environments',
      'PREPARE q (int) AS SELECT $1',
      'EXECUTE q(1)',
      'DEALLOCATE q',
      'START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
      '',
      ';;',
    ]) {
      accepted(sql);
    }
  });

  it('reads write keywords only where PostgreSQL would: not in strings, comments or quoted names', () => {
    for (const sql of [
      "SELECT 'insert into x; drop table y' AS s",
      'SELECT "update", "delete" FROM t',
      'SELECT $tag$ drop table x; $tag$ AS body',
      'SELECT $$ create $$',
      '-- delete everything\nSELECT 1',
      '/* outer /* nested: drop */ still a comment; delete */ SELECT 1',
      "SELECT E'it\\'s; delete' AS s",
      "SELECT 'a'';DROP TABLE x;--' AS s",
      'SELECT update_rule, is_insertable_into FROM information_schema.tables, information_schema.referential_constraints',
    ]) {
      accepted(sql);
    }
    // standard_conforming_strings is on: a backslash does not escape the quote, so DROP is a statement here
    expect(refusal("SELECT 'a\\';DROP TABLE x;--'")).toContain('DROP is not allowed');
    // a -- comment ends at a carriage return too
    expect(refusal('SELECT 1 --\rDELETE FROM t')).toContain('DELETE is not allowed');
  });

  it('refuses writes, DDL and other commands, naming the command and what is allowed', () => {
    expect(refusal('INSERT INTO t VALUES (1)')).toBe(
      'the BI SQL endpoint is read-only: INSERT is not allowed; clients may run SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DECLARE/FETCH/MOVE/CLOSE, PREPARE/EXECUTE/DEALLOCATE, transaction control and SET/RESET of display settings',
    );
    for (const [sql, word] of [
      ['MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE', 'MERGE'],
      ['VACUUM', 'VACUUM'],
      ['CALL p()', 'CALL'],
      ['LISTEN x', 'LISTEN'],
      ['NOTIFY x', 'NOTIFY'],
      ['CHECKPOINT', 'CHECKPOINT'],
      ['LOCK TABLE t', 'LOCK'],
      ["COMMENT ON TABLE t IS 'x'", 'COMMENT'],
      ['ANALYZE t', 'ANALYZE'],
      ['REFRESH MATERIALIZED VIEW v', 'REFRESH'],
    ]) {
      expect(refusal(sql)).toContain(`${word} is not allowed`);
    }
  });

  it('refuses every way to change role, session user, read-only or the lexing rules', () => {
    expect(refusal('RESET ROLE')).toContain('RESET ROLE is not allowed');
    expect(refusal('SET LOCAL ROLE postgres')).toContain('SET ROLE is not allowed');
    expect(refusal('SET SESSION AUTHORIZATION DEFAULT')).toContain('SET SESSION AUTHORIZATION is not allowed');
    expect(refusal('RESET SESSION AUTHORIZATION')).toContain('RESET SESSION AUTHORIZATION is not allowed');
    expect(refusal('SET default_transaction_read_only = off')).toContain('SET default_transaction_read_only is not allowed: clients may change only application_name,');
    expect(refusal('RESET transaction_read_only')).toContain('RESET transaction_read_only is not allowed');
    expect(refusal('SET standard_conforming_strings = off')).toContain('SET standard_conforming_strings is not allowed');
    expect(refusal('SET idle_in_transaction_session_timeout = 50')).toContain('SET idle_in_transaction_session_timeout is not allowed');
    expect(refusal('SET my.custom = 1')).toContain('custom settings (my.custom) is not allowed');
    expect(refusal('SET TRANSACTION READ WRITE')).toContain('SET TRANSACTION READ WRITE is not allowed');
    expect(refusal('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE')).toContain('READ WRITE is not allowed');
    expect(refusal('BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE')).toContain('READ WRITE transactions are not allowed');
    expect(refusal("SELECT pg_catalog . set_config('role', 'postgres', false)")).toContain('set_config is not allowed');
    expect(refusal("SELECT \"set_config\"('role', 'postgres', false)")).toContain('set_config is not allowed');
    expect(refusal("SELECT ts_stat('select 1')")).toContain('ts_stat is not allowed');
    expect(refusal("SELECT cursor_to_xml('c', 1, true, true, '')")).toContain('cursor_to_xml is not allowed');
    expect(refusal("SELECT lo_import('/etc/passwd')")).toContain('lo_import is not allowed');
    expect(refusal('SELECT pg_sleep(3600)')).toContain('pg_sleep is not allowed');
    expect(refusal("PREPARE TRANSACTION 'x'")).toContain('PREPARE TRANSACTION is not allowed');
    expect(refusal("SET client_encoding = 'SJIS'")).toContain('client_encoding must stay UTF8, got SJIS');
    expect(refusal('SET NAMES big5')).toContain('client_encoding must stay UTF8, got big5');
    accepted("SET client_encoding TO 'UTF-8'");
    expect(refusal('DEALLOCATE PREPARE eior_c5_q')).toContain('names starting with eior_ are reserved by the endpoint, got eior_c5_q');
    expect(refusal('EXECUTE "eior_c5_q"')).toContain('are reserved');
    expect(refusal('DISCARD EVERYTHING')).toContain('DISCARD takes ALL, PLANS, SEQUENCES or TEMP');
  });

  it('refuses what its lexer cannot read the way PostgreSQL would', () => {
    expect(refusal("SELECT 'unterminated")).toContain('unterminated quoted string');
    expect(refusal('SELECT $a$ never closed')).toContain('unterminated dollar-quoted string $a$');
    expect(refusal('SELECT 1 /* open')).toContain('unterminated /* comment');
    expect(refusal("SELECT U&'\\0041'")).toContain('Unicode escapes are not accepted');
    expect(refusal('SELECT U&"\\0073et_config"(1)')).toContain('Unicode escapes are not accepted');
  });

  it('records session-level settings for replay, not SET LOCAL', () => {
    expect(accepted("SET search_path TO eior, public; SET LOCAL statement_timeout = 1000; SET TIME ZONE 'UTC'").settings).toEqual([
      { names: ['search_path'], statement: 'SET search_path TO eior, public' },
      { names: ['timezone'], statement: "SET TIME ZONE 'UTC'" },
    ]);
    expect(accepted('RESET DateStyle').settings).toEqual([{ names: ['datestyle'], statement: 'RESET DateStyle' }]);
  });

  it('marks DISCARD ALL, RESET ALL and DEALLOCATE ALL for per-connection handling, alone only', () => {
    expect(accepted('DISCARD ALL').special).toBe('discard-all');
    expect(accepted('reset all').special).toBe('reset-all');
    expect(accepted('DEALLOCATE PREPARE ALL').special).toBe('deallocate-all');
    expect(refusal('SELECT 1; DISCARD ALL')).toContain('DISCARD ALL must be sent on its own');
  });
});
