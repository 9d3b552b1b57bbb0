jest.mock('@electric-sql/pglite', () => jest.requireActual('./outside-jest').requireOutsideJest('@electric-sql/pglite'));

import { openEmbeddedBiStore, type EmbeddedBiStore } from '../../../../apps/api/src/bi/bi-embedded-store';
import { tempDir } from '../../../helpers/temp-dir';
import { recommendationRows, sampleRows, SERVED_AT } from './bi-fixtures';

const byRank = 'SELECT user_id, rank, item_id, environment, served_at FROM eior.recommendations WHERE dataset = $1 ORDER BY user_id, rank';

describe('openEmbeddedBiStore', () => {
  let store: EmbeddedBiStore;
  beforeAll(async () => {
    store = await openEmbeddedBiStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('replaces a dataset with the same rows when run twice (idempotent)', async () => {
    await store.replaceRows('recommendations', 'a', recommendationRows('a'));
    const first = await store.query(byRank, ['a']);
    await store.replaceRows('recommendations', 'a', recommendationRows('a'));
    expect(await store.query(byRank, ['a'])).toEqual(first);
    expect(first).toHaveLength(6);
    expect(first[0]).toEqual({ user_id: 'u1', rank: 1, item_id: 'i00', environment: 1, served_at: SERVED_AT });
    expect(first[3].environment).toBeNull();
  });

  it('replaces only the named dataset', async () => {
    await store.replaceRows('recommendations', 'a', recommendationRows('a'));
    await store.replaceRows('recommendations', 'b', recommendationRows('b', ['x'], 2));
    await store.replaceRows('recommendations', 'a', recommendationRows('a', ['u9'], 1));
    expect((await store.query(byRank, ['a'])).map((r) => r.user_id)).toEqual(['u9']);
    expect(await store.query(byRank, ['b'])).toHaveLength(2);
  });

  it('throws on a value of the wrong type, naming table, column, value and type, and keeps the previous rows', async () => {
    await store.replaceRows('recommendations', 'a', recommendationRows('a'));
    const before = await store.query(byRank, ['a']);
    const bad = recommendationRows('a', ['n1', 'n2']);
    bad[4] = { ...bad[4], rank: 'second' };
    await expect(store.replaceRows('recommendations', 'a', bad)).rejects.toThrow(
      'BI table recommendations row 4: column rank (integer) got "second" (string): expected an integer from -2147483648 to 2147483647',
    );
    expect(await store.query(byRank, ['a'])).toEqual(before);
  });

  it('throws on unknown columns, missing required values, other datasets and unknown tables', async () => {
    const [row] = recommendationRows('a');
    await expect(store.replaceRows('recommendations', 'a', [{ ...row, score: 1 }])).rejects.toThrow('row 0: unknown column "score" (value 1 (number))');
    await expect(store.replaceRows('recommendations', 'a', [{ ...row, rating: undefined }])).rejects.toThrow('column rating (double precision) needs a value, got undefined: expected a finite number');
    await expect(store.replaceRows('recommendations', 'a', [{ ...row, rating: Number.NaN }])).rejects.toThrow('column rating (double precision) got NaN (number): expected a finite number');
    await expect(store.replaceRows('recommendations', 'a', [{ ...row, dataset: 'b' }])).rejects.toThrow('column dataset (text) got "b" (string): expected "a", the dataset being replaced');
    await expect(store.replaceRows('recommendations', 'a', [{ ...row, served_at: 'yesterday' }])).rejects.toThrow('column served_at (timestamptz) got "yesterday" (string)');
    await expect(store.replaceRows('interactions_per_day', 'a', [{ day: '2024-02-30', source: 'train', interactions: 1, users: 1 }])).rejects.toThrow(
      "column day (date) got \"2024-02-30\" (string): expected a 'YYYY-MM-DD' string",
    );
    await expect(store.replaceRows('users', 'a', [])).rejects.toThrow('unknown BI table "users": expected one of recommendations,');
  });

  it('rolls back the delete when an insert fails in PostgreSQL (duplicate key)', async () => {
    await store.replaceRows('recommendations', 'a', recommendationRows('a'));
    const before = await store.query(byRank, ['a']);
    const rows = recommendationRows('a', ['d1']);
    await expect(store.replaceRows('recommendations', 'a', [...rows, rows[0]])).rejects.toThrow(/duplicate key/);
    expect(await store.query(byRank, ['a'])).toEqual(before);
  });

  it('writes every table and reads back the values with the documented JS types', async () => {
    for (const [table, rows] of Object.entries(sampleRows('s'))) await store.replaceRows(table, 's', rows);
    const [day] = await store.query('SELECT day, interactions, users FROM eior.interactions_per_day WHERE dataset = $1 ORDER BY day, source DESC', ['s']);
    expect(day).toEqual({ day: '2024-04-01', interactions: 9007199254740991, users: 10 });
    const [drift] = await store.query('SELECT computed_at, drifted, threshold FROM eior.drift_metrics WHERE dataset = $1 ORDER BY subject', ['s']);
    expect(drift).toEqual({ computed_at: new Date('2024-05-02T00:00:00Z'), drifted: true, threshold: 0.1 });
    const [model] = await store.query('SELECT current, best_epoch, training_seconds FROM eior.model_versions WHERE dataset = $1', ['s']);
    expect(model).toEqual({ current: true, best_epoch: 12, training_seconds: 532.5 });
  });

  it('inserts more rows than one batch holds', async () => {
    const rows = recommendationRows('big', Array.from({ length: 1201 }, (_, i) => `u${i}`), 5);
    await store.replaceRows('recommendations', 'big', rows);
    expect(await store.query('SELECT count(*)::int AS n FROM eior.recommendations WHERE dataset = $1', ['big'])).toEqual([{ n: 6005 }]);
  });

  it('holds the session through each store call, so nothing else runs inside a concurrent write', async () => {
    const users = Array.from({ length: 2000 }, (_, i) => `u${i}`);
    const probe = { label: 'probe', settings: new Map<string, string>() };
    const first = store.replaceRows('recommendations', 'p', recommendationRows('p', users, 5));
    const second = store.replaceRows('recommendations', 'q', recommendationRows('q', users, 5));
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await store.session.acquire(probe, 30_000);
    // look the way a SQL client's message runs (runExclusive: between queries, not between transactions)
    const seen = new Set<boolean>();
    for (let i = 0; i < 1000 && !secondDone; i++) {
      seen.add(await store.pglite.runExclusive(async () => store.pglite.isInTransaction()));
      await new Promise((resolve) => setImmediate(resolve));
    }
    store.session.release(probe);
    await Promise.all([first, second]);
    expect([...seen]).not.toContain(true);
  });

  it('describes every table and column with COMMENT ON', async () => {
    const rows = await store.query(
      `SELECT c.relname AS table, obj_description(c.oid, 'pg_class') AS description,
              count(*) FILTER (WHERE col_description(c.oid, a.attnum) IS NULL) AS undescribed
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'eior'
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind = 'r' GROUP BY c.oid, c.relname ORDER BY c.relname`,
    );
    expect(rows.map((r) => r.table)).toEqual(['drift_metrics', 'environments', 'interactions_per_day', 'model_versions', 'recommendation_modalities', 'recommendations']);
    for (const row of rows) {
      expect(row.description).toMatch(/Key: dataset, /);
      expect(row.undescribed).toBe(0);
    }
  });

  it('reads in the read-only reader role, so query() cannot write', async () => {
    expect(await store.query('SELECT current_user AS role')).toEqual([{ role: 'eior_bi_reader' }]);
    await expect(store.query("DELETE FROM eior.recommendations WHERE dataset = 'a'")).rejects.toThrow(/read-only transaction/);
  });
});

describe('openEmbeddedBiStore with a dataDir', () => {
  const dir = tempDir('bi-store');
  afterAll(() => dir.remove());

  it('keeps the rows across a close and a reopen, and reopening changes nothing', async () => {
    const first = await openEmbeddedBiStore({ dataDir: dir.dir });
    await first.replaceRows('recommendations', 'a', recommendationRows('a'));
    await first.close();
    const second = await openEmbeddedBiStore({ dataDir: dir.dir });
    try {
      expect(await second.query('SELECT count(*)::int AS n FROM eior.recommendations')).toEqual([{ n: 6 }]);
    } finally {
      await second.close();
    }
  });
});
