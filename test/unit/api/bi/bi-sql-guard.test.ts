import { checkClientSql } from '../../../../apps/api/src/bi/bi-sql-guard';

const accepted = async (sql: string) => {
  const verdict = await checkClientSql(sql);
  if (!verdict.ok) throw new Error(`refused ${sql}: ${verdict.message}`);
  return verdict;
};
const refusal = async (sql: string) => {
  const verdict = await checkClientSql(sql);
  if (verdict.ok) throw new Error(`accepted ${sql}`);
  return verdict.message;
};

describe('checkClientSql', () => {
  it('accepts what BI tools and drivers send on connect and when browsing', async () => {
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
      await accepted(sql);
    }
  });

  it('finds statements only where PostgreSQL would: not in strings, comments or quoted names', async () => {
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
      await accepted(sql);
    }
    // standard_conforming_strings is on: a backslash does not escape the quote, so DROP is a statement here
    expect(await refusal("SELECT 'a\\';DROP TABLE x;--'")).toContain('DROP is not allowed');
    // a -- comment ends at a carriage return: this is SELECT 1 AS "delete" FROM t, a read
    await accepted('SELECT 1 --\rDELETE FROM t');
    expect(await refusal('SELECT 1 --\rDELETE FROM t; DELETE FROM t')).toContain('DELETE is not allowed');
  });

  it('refuses writes, DDL and other commands, naming the command and what is allowed', async () => {
    expect(await refusal('INSERT INTO t VALUES (1)')).toBe(
      'the BI SQL endpoint is read-only: INSERT is not allowed; clients may run SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN, DECLARE/FETCH/MOVE/CLOSE, PREPARE/EXECUTE/DEALLOCATE, transaction control and SET/RESET of display settings',
    );
    for (const [sql, word] of [
      ['MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE', 'MERGE'],
      ['VACUUM', 'VACUUM/ANALYZE'],
      ['CALL p()', 'CALL'],
      ['LISTEN x', 'LISTEN'],
      ['NOTIFY x', 'NOTIFY'],
      ['CHECKPOINT', 'CHECKPOINT'],
      ['LOCK TABLE t', 'LOCK'],
      ["COMMENT ON TABLE t IS 'x'", 'COMMENT'],
      ['ANALYZE t', 'VACUUM/ANALYZE'],
      ['REFRESH MATERIALIZED VIEW v', 'REFRESH MATERIALIZED VIEW'],
    ]) {
      expect(await refusal(sql)).toContain(`${word} is not allowed`);
    }
  });

  it('refuses every way to change role, session user, read-only or how SQL is read', async () => {
    expect(await refusal('RESET ROLE')).toContain('RESET ROLE is not allowed');
    expect(await refusal('SET LOCAL ROLE postgres')).toContain('SET ROLE is not allowed');
    expect(await refusal('SET SESSION AUTHORIZATION DEFAULT')).toContain('SET SESSION AUTHORIZATION is not allowed');
    expect(await refusal('RESET SESSION AUTHORIZATION')).toContain('RESET SESSION AUTHORIZATION is not allowed');
    expect(await refusal('SET default_transaction_read_only = off')).toContain('SET default_transaction_read_only is not allowed: clients may change only application_name,');
    expect(await refusal('RESET transaction_read_only')).toContain('RESET transaction_read_only is not allowed');
    expect(await refusal('SET standard_conforming_strings = off')).toContain('SET standard_conforming_strings is not allowed');
    expect(await refusal('SET idle_in_transaction_session_timeout = 50')).toContain('SET idle_in_transaction_session_timeout is not allowed');
    expect(await refusal('SET my.custom = 1')).toContain('custom settings (my.custom) is not allowed');
    expect(await refusal('SET TRANSACTION READ WRITE')).toContain('SET TRANSACTION READ WRITE is not allowed');
    expect(await refusal('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE')).toContain('READ WRITE is not allowed');
    expect(await refusal('BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE')).toContain('READ WRITE transactions are not allowed');
    expect(await refusal("SELECT pg_catalog . set_config('role', 'postgres', false)")).toContain('set_config is not allowed');
    expect(await refusal("SELECT \"set_config\"('role', 'postgres', false)")).toContain('set_config is not allowed');
    expect(await refusal("SELECT ts_stat('select 1')")).toContain('ts_stat is not allowed');
    expect(await refusal("SELECT cursor_to_xml('c', 1, true, true, '')")).toContain('cursor_to_xml is not allowed');
    expect(await refusal("SELECT lo_import('/etc/passwd')")).toContain('lo_import is not allowed');
    expect(await refusal('SELECT pg_sleep(3600)')).toContain('pg_sleep is not allowed');
    expect(await refusal("PREPARE TRANSACTION 'x'")).toContain('two-phase commit (PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED) is not allowed');
    expect(await refusal("SET client_encoding = 'SJIS'")).toContain('client_encoding must stay UTF8, got SJIS');
    expect(await refusal("SET NAMES 'big5'")).toContain('client_encoding must stay UTF8, got big5');
    await accepted("SET client_encoding TO 'UTF-8'");
    expect(await refusal('DEALLOCATE PREPARE eior_c5_q')).toContain('names starting with eior_ are reserved by the endpoint, got eior_c5_q');
    expect(await refusal('EXECUTE "eior_c5_q"')).toContain('are reserved');
    expect(await refusal('DISCARD EVERYTHING')).toBe('syntax error at or near "EVERYTHING" (at character 9)');
  });

  it('reads statements with the PostgreSQL grammar: keyword-named columns pass, hidden writes and calls do not', async () => {
    for (const sql of [
      // SQLAlchemy's inspect(engine).get_columns() (PGDialect, SQLAlchemy 2.0): a column named comment
      `SELECT pg_catalog.pg_attribute.attname AS name, pg_catalog.format_type(pg_catalog.pg_attribute.atttypid, pg_catalog.pg_attribute.atttypmod) AS format_type,
        (SELECT pg_catalog.pg_get_expr(pg_catalog.pg_attrdef.adbin, pg_catalog.pg_attrdef.adrelid) FROM pg_catalog.pg_attrdef WHERE pg_catalog.pg_attrdef.adrelid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attrdef.adnum = pg_catalog.pg_attribute.attnum AND pg_catalog.pg_attribute.atthasdef) AS "default",
        pg_catalog.pg_attribute.attnotnull AS not_null, pg_catalog.pg_class.relname AS table_name, pg_catalog.pg_description.description AS comment
       FROM pg_catalog.pg_class LEFT OUTER JOIN pg_catalog.pg_attribute ON pg_catalog.pg_class.oid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_attribute.attnum > 0
       LEFT OUTER JOIN pg_catalog.pg_description ON pg_catalog.pg_description.objoid = pg_catalog.pg_attribute.attrelid AND pg_catalog.pg_description.objsubid = pg_catalog.pg_attribute.attnum
       JOIN pg_catalog.pg_namespace ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace
       WHERE pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm']) AND pg_catalog.pg_namespace.nspname = $1 AND pg_catalog.pg_class.relname IN ($2)
       ORDER BY pg_catalog.pg_class.relname, pg_catalog.pg_attribute.attnum`,
      "SELECT column_name, col_description('eior.recommendations'::regclass, ordinal_position) AS comment FROM information_schema.columns WHERE table_schema = 'eior'",
      'SELECT 1 AS insert, 2 AS "delete", 3 AS create, 4 AS grant',
      'SELECT U&\'\\0041\' AS a',
    ]) {
      await accepted(sql);
    }
    expect(await refusal('WITH gone AS (DELETE FROM recommendations RETURNING *) SELECT count(*) FROM gone')).toContain('DELETE is not allowed inside another statement');
    expect(await refusal('/* only a read */ SELECT 1; -- and\nUPDATE items SET title = 1')).toContain('UPDATE is not allowed');
    expect(await refusal('EXPLAIN ANALYZE INSERT INTO items SELECT * FROM items')).toContain('INSERT is not allowed inside another statement');
    expect(await refusal('PREPARE p AS DELETE FROM items')).toContain('DELETE is not allowed inside another statement');
    expect(await refusal('DECLARE c CURSOR FOR SELECT * FROM (SELECT set_config($1, $2, false)) s')).toContain('set_config is not allowed');
    expect(await refusal('SELECT * FROM ROWS FROM (pg_catalog.query_to_xml($q$reset role$q$, true, true, \'\'))')).toContain('query_to_xml is not allowed');
    expect(await refusal('SELECT U&"\\0073et_config"(\'role\', \'postgres\', false)')).toContain('set_config is not allowed');
    expect(await refusal("SELECT dblink_exec('dbname=postgres', 'DROP TABLE x')")).toContain('dblink_exec is not allowed');
    expect(await refusal("SELECT pg_read_file('/etc/passwd')")).toContain('pg_read_file is not allowed');
    expect(await refusal('SELECT pg_advisory_lock(1)')).toContain('pg_advisory_lock is not allowed');
    expect(await refusal('SELECT 1 INTO copy_of FROM items')).toContain('SELECT INTO creates a table');
    expect(await refusal('SELECT * FROM items FOR UPDATE')).toContain('FOR UPDATE/SHARE locks rows');
    expect(await refusal('COPY items TO STDOUT')).toContain('COPY is not allowed');
  });

  it('answers what the grammar cannot read with the syntax error PostgreSQL gives, and its position', async () => {
    const verdict = await checkClientSql('SELEC 1');
    expect(verdict).toEqual({ ok: false, code: '42601', message: 'syntax error at or near "SELEC" (at character 1)' });
    expect(await refusal("SELECT 'unterminated")).toContain('unterminated quoted string');
  });

  it('records session-level settings for replay, not SET LOCAL', async () => {
    expect((await accepted("SET search_path TO eior, public; SET LOCAL statement_timeout = 1000; SET TIME ZONE 'UTC'")).settings).toEqual([
      { names: ['search_path'], statement: 'SET search_path TO eior, public' },
      { names: ['timezone'], statement: "SET TIME ZONE 'UTC'" },
    ]);
    expect((await accepted('RESET DateStyle')).settings).toEqual([{ names: ['datestyle'], statement: 'RESET DateStyle' }]);
  });

  it('marks DISCARD ALL, RESET ALL and DEALLOCATE ALL for per-connection handling, alone only', async () => {
    expect((await accepted('DISCARD ALL')).special).toBe('discard-all');
    expect((await accepted('reset all')).special).toBe('reset-all');
    expect((await accepted('DEALLOCATE PREPARE ALL')).special).toBe('deallocate-all');
    expect(await refusal('SELECT 1; DISCARD ALL')).toContain('DISCARD ALL must be sent on its own');
  });
});
