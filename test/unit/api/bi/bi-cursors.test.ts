import { cursorServerName, rewriteCursorSql } from '../../../../apps/api/src/bi/bi-cursors';

describe('rewriteCursorSql', () => {
  it('declares a cursor WITH HOLD under the connection name, whatever options, comments and case surround it', async () => {
    expect(await rewriteCursorSql('DECLARE "My C" NO SCROLL CURSOR WITHOUT HOLD FOR SELECT 1 AS a', 3)).toEqual({
      sql: 'DECLARE "eior_k3_My C" NO SCROLL CURSOR WITH HOLD FOR SELECT 1 AS a',
      declared: [{ name: 'eior_k3_My C', hold: false }],
      closed: [],
    });
    expect(await rewriteCursorSql('declare /* for */ c binary cursor -- for\n with hold for select $1', 7)).toEqual({
      sql: 'declare /* for */ "eior_k7_c" binary CURSOR WITH HOLD FOR select $1',
      declared: [{ name: 'eior_k7_c', hold: true }],
      closed: [],
    });
    // an unquoted name is folded to lower case by PostgreSQL, so the server name is too
    expect((await rewriteCursorSql('DECLARE MyCur CURSOR FOR SELECT 1', 1))?.sql).toBe('DECLARE "eior_k1_mycur" CURSOR WITH HOLD FOR SELECT 1');
  });

  it('renames FETCH, MOVE and CLOSE in every statement of a list and leaves other statements as they were', async () => {
    const sql = "BEGIN; DECLARE c CURSOR FOR SELECT 'fetch c'; FETCH FORWARD 2 FROM c; MOVE -1 IN c; FETCH c; CLOSE c; SELECT 2";
    expect(await rewriteCursorSql(sql, 12)).toEqual({
      sql: "BEGIN; DECLARE \"eior_k12_c\" CURSOR WITH HOLD FOR SELECT 'fetch c'; FETCH FORWARD 2 FROM \"eior_k12_c\"; MOVE -1 IN \"eior_k12_c\"; FETCH \"eior_k12_c\"; CLOSE \"eior_k12_c\"; SELECT 2",
      declared: [{ name: 'eior_k12_c', hold: false }],
      closed: ['eior_k12_c'],
    });
  });

  it('returns null for SQL without cursor statements, words inside strings included', async () => {
    expect(await rewriteCursorSql('SELECT 1', 1)).toBeNull();
    expect(await rewriteCursorSql("SELECT 'declare c cursor for select 1' AS fetch", 1)).toBeNull();
  });

  it('refuses a rewrite it cannot check to mean the same statement (a Unicode-escaped name)', async () => {
    await expect(rewriteCursorSql('DECLARE U&"d\\0061t" CURSOR FOR SELECT 1', 1)).rejects.toThrow('could not be rewritten');
  });

  it('cuts server names to 63 bytes as PostgreSQL cuts identifiers', () => {
    expect(cursorServerName(5, 'x'.repeat(80))).toBe(`eior_k5_${'x'.repeat(55)}`);
    expect(Buffer.byteLength(cursorServerName(5, 'é'.repeat(40)))).toBeLessThanOrEqual(63);
  });
});
