// GET /export (the table list) and GET /export/<table>.csv|.json?dataset=&limit=&after= on plain node:http: the BI
// tables as files, paged in key order with an opaque cursor, for tools that read CSV/JSON over HTTP.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BiSessionBusyError } from './bi-session';
import { csvRecord, CursorError, decodeCursor, encodeCursor, exportValue } from './bi-export-format';
import { pageSql } from './bi-sql';
import type { BiStore } from './bi-store';
import { BI_TABLES, findBiTable, isNullable, type BiTable } from './bi-tables';

export type BiExportHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface BiExportOptions {
  /** Called with an unexpected error (answered as a masked 500 carrying requestId); log it there. */
  onError?: (err: unknown, requestId: string) => void;
}

export const EXPORT_DEFAULT_LIMIT = 1000;
export const EXPORT_MAX_LIMIT = 10000;
const FORMATS = ['csv', 'json'] as const;

function sendJson(res: ServerResponse, status: number, body: unknown, head: boolean, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(head ? undefined : text);
}

const sendError = (res: ServerResponse, status: number, code: string, message: string, head: boolean, headers?: Record<string, string>) =>
  sendJson(res, status, { error: { code, message } }, head, headers);

const describeColumns = (table: BiTable) => table.columns.map((c) => ({ name: c.name, type: c.type, description: c.description, nullable: isNullable(table, c) }));

function listing() {
  return {
    tables: BI_TABLES.map((t) => ({ name: t.name, description: t.description, key: t.key, columns: describeColumns(t), csv: `/export/${t.name}.csv`, json: `/export/${t.name}.json` })),
    parameters: {
      dataset: 'required: the dataset whose rows to export',
      limit: `rows per page, ${1} to ${EXPORT_MAX_LIMIT} (default ${EXPORT_DEFAULT_LIMIT})`,
      after: 'the nextCursor (JSON) or X-Next-Cursor header (CSV) of the previous page; pages follow the table key',
    },
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

type PageRequest = { table: BiTable; format: 'csv' | 'json'; dataset: string; limit: number; after: unknown[] | null };

/** The export a request asks for, or the status, code and message of what is wrong with it. */
function readRequest(url: URL): PageRequest | { status: number; code: string; message: string } {
  const tables = BI_TABLES.map((t) => t.name).join(', ');
  const match = /^\/export\/([^/]+)\.([^./]+)$/.exec(url.pathname);
  if (!match) return { status: 404, code: 'NOT_FOUND', message: `no export at ${url.pathname}: expected /export/<table>.csv or /export/<table>.json with <table> one of ${tables}` };
  const [, encoded, format] = match;
  const name = safeDecode(encoded);
  const table = findBiTable(name);
  if (!table) return { status: 404, code: 'NOT_FOUND', message: `unknown table ${JSON.stringify(name)}: expected one of ${tables}` };
  if (!(FORMATS as readonly string[]).includes(format)) return { status: 404, code: 'NOT_FOUND', message: `unknown format ${JSON.stringify(format)} for ${table.name}: expected /export/${table.name}.csv or .json` };
  const dataset = url.searchParams.get('dataset');
  if (dataset === null || dataset === '') return { status: 400, code: 'BAD_USER_INPUT', message: `the query parameter dataset is required: expected ?dataset=<dataset name>, got ${dataset === null ? 'none' : 'an empty value'}` };
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? EXPORT_DEFAULT_LIMIT : /^[0-9]{1,6}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= EXPORT_MAX_LIMIT)) {
    return { status: 400, code: 'BAD_USER_INPUT', message: `limit ${JSON.stringify(limitText)} is not allowed: expected an integer from 1 to ${EXPORT_MAX_LIMIT} (default ${EXPORT_DEFAULT_LIMIT})` };
  }
  const cursor = url.searchParams.get('after');
  let after: unknown[] | null = null;
  if (cursor !== null) {
    try {
      after = decodeCursor(table, dataset, cursor);
    } catch (err) {
      if (err instanceof CursorError) return { status: 400, code: 'BAD_USER_INPUT', message: err.message };
      throw err;
    }
  }
  return { table, format: format as PageRequest['format'], dataset, limit, after };
}

function nextLink(url: URL, request: PageRequest, cursor: string): string {
  const query = new URLSearchParams({ dataset: request.dataset, limit: String(request.limit), after: cursor });
  return `<${url.pathname}?${query}>; rel="next"`;
}

/** The route handler for /export and /export/*; resolves false for any other path. */
export function createBiExportHandler(store: BiStore, options: BiExportOptions = {}): BiExportHandler {
  return async (req, res, url) => {
    if (url.pathname !== '/export' && !url.pathname.startsWith('/export/')) return false;
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported on ${url.pathname}: exports are read with GET`, false, { allow: 'GET, HEAD' });
      return true;
    }
    if (url.pathname === '/export' || url.pathname === '/export/') {
      sendJson(res, 200, listing(), head);
      return true;
    }
    const requestId = randomUUID();
    try {
      const request = readRequest(url);
      if (!('table' in request)) {
        sendError(res, request.status, request.code, request.message, head);
        return true;
      }
      const { table, dataset, limit, after } = request;
      // one row more than the page tells whether another page follows
      const rows = await store.query(pageSql(table, after !== null), [dataset, ...(after ?? []), limit + 1]);
      const page = rows.slice(0, limit).map((row) => Object.fromEntries(table.columns.map((c) => [c.name, exportValue(c.type, row[c.name])])));
      const nextCursor = rows.length > limit ? encodeCursor(table, page[page.length - 1]) : null;
      const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-request-id': requestId };
      if (nextCursor) {
        headers.link = nextLink(url, request, nextCursor);
        headers['x-next-cursor'] = nextCursor;
      }
      if (request.format === 'json') {
        sendJson(res, 200, { table: table.name, columns: describeColumns(table), rows: page, nextCursor }, head, headers);
      } else {
        const names = table.columns.map((c) => c.name);
        const body = csvRecord(names) + page.map((row) => csvRecord(names.map((n) => row[n]))).join('');
        res.writeHead(200, { ...headers, 'content-type': 'text/csv; charset=utf-8; header=present', 'content-length': Buffer.byteLength(body) });
        res.end(head ? undefined : body);
      }
    } catch (err) {
      if (err instanceof BiSessionBusyError) {
        sendError(res, 503, 'SERVICE_UNAVAILABLE', `${err.message} (request ${requestId})`, head, { 'retry-after': '5' });
      } else {
        options.onError?.(err, requestId);
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', `the export failed unexpectedly; the server log has the details under request id ${requestId}`, head);
      }
    }
    return true;
  };
}
