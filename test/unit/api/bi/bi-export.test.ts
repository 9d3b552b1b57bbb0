jest.mock('@electric-sql/pglite', () => jest.requireActual('./outside-jest').requireOutsideJest('@electric-sql/pglite'));

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openEmbeddedBiStore, type EmbeddedBiStore } from '../../../../apps/api/src/bi/bi-embedded-store';
import { createBiExportHandler } from '../../../../apps/api/src/bi/bi-export';
import { BI_TABLES } from '../../../../apps/api/src/bi/bi-tables';
import { recommendationRows, sampleRows } from './bi-fixtures';

/** An RFC 4180 reader written apart from the exporter: quoted fields, "" inside quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

const awkward = ['comma, inside', 'say "hi"', 'two\nlines', 'crlf\r\nend', 'ünïcödé ✓ 🎉', '', ' padded '];

describe('createBiExportHandler', () => {
  let store: EmbeddedBiStore;
  let server: Server;
  let base: string;
  const errors: unknown[] = [];

  beforeAll(async () => {
    store = await openEmbeddedBiStore();
    for (const [table, rows] of Object.entries(sampleRows('s'))) await store.replaceRows(table, 's', rows);
    const rows = recommendationRows('s', ['u1', 'u2', 'u3']).map((row, i) => ({ ...row, item_id: awkward[i % awkward.length] }));
    await store.replaceRows('recommendations', 's', rows);
    await store.replaceRows('recommendations', 'other', recommendationRows('other'));
    const handle = createBiExportHandler(store, { onError: (err) => errors.push(err) });
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      handle(req, res, url).then((mine) => {
        if (!mine) res.writeHead(418).end('not an export');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    expect(errors).toEqual([]);
  });

  const keyOrder = (table: string) => {
    const t = BI_TABLES.find((x) => x.name === table);
    return `SELECT * FROM eior.${table} WHERE dataset = $1 ORDER BY ${t?.key.join(', ')}`;
  };

  async function walkJson(table: string, limit: number) {
    const pages: Record<string, unknown>[][] = [];
    let url = `${base}/export/${table}.json?dataset=s&limit=${limit}`;
    for (;;) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { table: string; columns: { name: string }[]; rows: Record<string, unknown>[]; nextCursor: string | null };
      expect(body.table).toBe(table);
      pages.push(body.rows);
      if (body.nextCursor === null) {
        expect(res.headers.get('link')).toBeNull();
        return pages;
      }
      expect(res.headers.get('x-next-cursor')).toBe(body.nextCursor);
      url = `${base}/export/${table}.json?dataset=s&limit=${limit}&after=${body.nextCursor}`;
    }
  }

  it('walks every row of every table exactly once, in key order, across JSON pages of 2', async () => {
    for (const table of BI_TABLES) {
      const pages = await walkJson(table.name, 2);
      const expected = (await store.query(keyOrder(table.name), ['s'])).map((row) =>
        Object.fromEntries(table.columns.map((c) => [c.name, c.type === 'timestamptz' ? new Date(row[c.name] as Date).toISOString() : row[c.name]])),
      );
      expect(pages.every((p) => p.length <= 2)).toBe(true);
      expect(pages.flat()).toEqual(expected);
    }
  });

  it('pages by a timestamptz and a date key without losing or repeating rows (limit 1)', async () => {
    expect((await walkJson('drift_metrics', 1)).map((p) => p.map((r) => r.subject))).toEqual([['popularity'], ['top_k_overlap']]);
    expect((await walkJson('interactions_per_day', 1)).flat().map((r) => `${r.day}/${r.source}`)).toEqual(['2024-04-01/feedback', '2024-04-01/train', '2024-04-02/train']);
  });

  it('walks CSV pages of 2 by the Link header, every row once, with RFC 4180 quoting', async () => {
    const records: string[][] = [];
    let url: string | null = `${base}/export/recommendations.csv?dataset=s&limit=2`;
    let pages = 0;
    while (url) {
      const res: Response = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      const [header, ...rows] = parseCsv(await res.text());
      expect(header).toEqual(BI_TABLES[0].columns.map((c) => c.name));
      expect(rows.length).toBeLessThanOrEqual(2);
      records.push(...rows);
      pages++;
      const link = res.headers.get('link');
      const cursor = res.headers.get('x-next-cursor');
      expect(link === null).toBe(cursor === null);
      url = link ? `${base}${/^<([^>]+)>; rel="next"$/.exec(link)?.[1]}` : null;
      if (link) expect(link).toContain(`after=${cursor}`);
    }
    expect(pages).toBe(5); // 9 rows
    const expected = await store.query(keyOrder('recommendations'), ['s']);
    expect(records.map((r) => `${r[2]}#${r[3]}`)).toEqual(expected.map((r) => `${r.user_id}#${r.rank}`));
    expect(records.map((r) => r[4])).toEqual(expected.map((r) => r.item_id));
    expect(new Set(records.map((r) => r[4]))).toEqual(new Set(awkward));
    const column = (name: string) => BI_TABLES[0].columns.findIndex((c) => c.name === name);
    expect(records[0][column('served_at')]).toBe('2024-05-01T12:30:00.125Z');
    expect(records.map((r) => r[column('new_item')])).toEqual(expected.map((r) => String(r.new_item)));
  });

  it('writes NULL as an empty field and the empty string as ""', async () => {
    const res = await fetch(`${base}/export/environments.csv?dataset=s`);
    const text = await res.text();
    expect(text.split('\r\n')[2]).toBe('s,v1,1,800,60,0.4,0.65,,');
    const emptyItem = await (await fetch(`${base}/export/recommendations.csv?dataset=s&limit=6`)).text();
    expect(emptyItem).toContain(',u2,3,"",');
    expect(emptyItem).toContain(',"comma, inside",');
    expect(emptyItem).toContain(',"say ""hi""",');
    expect(emptyItem).toContain(',"two\nlines",');
  });

  it('lists the tables with descriptions, columns and links', async () => {
    const res = await fetch(`${base}/export`);
    const body = (await res.json()) as { tables: { name: string; description: string; csv: string; columns: { description: string }[] }[] };
    expect(body.tables.map((t) => t.name)).toEqual(BI_TABLES.map((t) => t.name));
    expect(body.tables[0]).toMatchObject({ csv: '/export/recommendations.csv', description: BI_TABLES[0].description });
    expect(body.tables.every((t) => t.columns.every((c) => c.description.length > 10))).toBe(true);
  });

  it('answers bad input with 400 BAD_USER_INPUT naming the value and what was expected', async () => {
    const other = (await (await fetch(`${base}/export/recommendations.json?dataset=other&limit=1`)).json()) as { nextCursor: string };
    const wrongLength = Buffer.from('["s","v1"]').toString('base64url');
    const wrongType = Buffer.from('["s","v1","u1","first"]').toString('base64url');
    const cases: [string, string][] = [
      ['/export/recommendations.csv', 'the query parameter dataset is required: expected ?dataset=<dataset name>, got none'],
      ['/export/recommendations.json?dataset=', 'the query parameter dataset is required: expected ?dataset=<dataset name>, got an empty value'],
      ['/export/recommendations.json?dataset=s&limit=0', 'limit "0" is not allowed: expected an integer from 1 to 10000 (default 1000)'],
      ['/export/recommendations.json?dataset=s&limit=10001', 'limit "10001" is not allowed'],
      ['/export/recommendations.json?dataset=s&limit=2.5', 'limit "2.5" is not allowed'],
      ['/export/recommendations.csv?dataset=s&after=!!!', 'after "!!!" is not a cursor (base64url text): expected the nextCursor of a previous page of recommendations for dataset "s"'],
      ['/export/recommendations.csv?dataset=s&after=bm90IGpzb24', 'after "bm90IGpzb24" is not a cursor: expected the nextCursor'],
      [`/export/recommendations.json?dataset=s&after=${other.nextCursor}`, 'belongs to dataset "other": expected the nextCursor of a previous page of recommendations for dataset "s"'],
      [`/export/recommendations.json?dataset=s&after=${wrongLength}`, 'does not hold the 4 key values (dataset, model_version, user_id, rank)'],
      [`/export/recommendations.json?dataset=s&after=${wrongType}`, 'column rank (integer) got "first" (string)'],
    ];
    for (const [path, message] of cases) {
      const res = await fetch(`${base}${path}`);
      expect(`${path} ${res.status}`).toBe(`${path} 400`);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_USER_INPUT');
      expect(body.error.message).toContain(message);
    }
  });

  it('answers unknown tables and formats with 404 NOT_FOUND, other methods with 405, other paths not at all', async () => {
    const unknown = await fetch(`${base}/export/users.csv?dataset=s`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: `unknown table "users": expected one of ${BI_TABLES.map((t) => t.name).join(', ')}` } });
    const format = await fetch(`${base}/export/recommendations.xml?dataset=s`);
    expect(format.status).toBe(404);
    expect(((await format.json()) as { error: { message: string } }).error.message).toBe('unknown format "xml" for recommendations: expected /export/recommendations.csv or .json');
    const post = await fetch(`${base}/export/recommendations.csv?dataset=s`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const elsewhere = await fetch(`${base}/exports`);
    expect(elsewhere.status).toBe(418);
  });
});
