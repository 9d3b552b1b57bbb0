// The priority worker of `eior serve --workers N` as the front: which request bodies it answers itself (worked out
// by hand from the rule: one query of recommendations / rating / item, no version asked for), and what it does on
// the wire with plain HTTP servers standing in for the mix workers: the rest passed to the least busy one with the
// caller's address and the token, 413 past the body limit, and priority reads past 4 in flight here passed on too.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LANE_HEADER } from '../../../../apps/api/src/http/forward';
import { priorityEntry } from '../../../../apps/api/src/http/priority-entry';
import { PriorityRouter } from '../../../../apps/api/src/http/priority-route';
import { createLogger } from '../../../../apps/api/src/logger';

const JSON_TYPE = 'application/json';
const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

describe('PriorityRouter', () => {
  const router = new PriorityRouter();
  it.each([
    ['recommendations of the served version', true, body('query { recommendations(dataset: "d", userId: "1", first: 20) { edges { node { id } } } }')],
    ['rating and item together', true, body('{ rating(dataset: "d", userId: "1", itemId: "2") { value } item(dataset: "d", itemId: "2") { id } }')],
    ['a version asked for in the document', false, body('{ recommendations(dataset: "d", userId: "1", modelVersion: "v0001") { edges { cursor } } }')],
    ['modelVersion: null', true, body('{ recommendations(dataset: "d", userId: "1", modelVersion: null) { edges { cursor } } }')],
    ['a version in a variable', false, body('query($v: String) { rating(dataset: "d", userId: "1", itemId: "2", modelVersion: $v) { value } }', { v: 'v0001' })],
    ['that variable null', true, body('query($v: String) { rating(dataset: "d", userId: "1", itemId: "2", modelVersion: $v) { value } }', { v: null })],
    ['another root field beside it', false, body('{ item(dataset: "d", itemId: "2") { id } datasets { name } }')],
    ['a mutation', false, body('mutation { recommendations }')],
    ['two operations', false, body('query A { item(dataset: "d", itemId: "1") { id } } query B { item(dataset: "d", itemId: "2") { id } }')],
    ['a fragment spread at the root', false, body('{ ...F } fragment F on Query { item(dataset: "d", itemId: "1") { id } }')],
    ['a syntax error', false, body('{ item(dataset: "d" { id }')],
    ['a persisted query', false, JSON.stringify({ query: '{ item(dataset: "d", itemId: "1") { id } }', extensions: { persistedQuery: { version: 1 } } })],
    ['a batch', false, JSON.stringify([{ query: '{ item(dataset: "d", itemId: "1") { id } }' }])],
    ['not JSON', false, '{ item(dataset: "d", itemId: "1") { id } }'],
    ['variables that are a list', false, JSON.stringify({ query: '{ item(dataset: "d", itemId: "1") { id } }', variables: [1] })],
    ['a query text over 4,096 characters', false, body(`{ item(dataset: "d", itemId: "1") { id } }${' '.repeat(4_100)}`)],
  ])('%s: priority %s', (_name, expected, text) => {
    expect(router.isPriority(text, JSON_TYPE)).toBe(expected);
    // asked twice: the remembered verdict is the same
    expect(router.isPriority(text, JSON_TYPE)).toBe(expected);
  });
  it('sends a body of another content type to the mix workers', () => {
    expect(router.isPriority(body('{ item(dataset: "d", itemId: "1") { id } }'), 'text/plain')).toBe(false);
    expect(router.isPriority(body('{ item(dataset: "d", itemId: "1") { id } }'), undefined)).toBe(false);
  });
});

interface Upstream {
  port: number;
  seen: { path: string; body: string; headers: IncomingMessage['headers'] }[];
  /** Answers wait until this is called (when hold is on). */
  release(): void;
  hold: boolean;
  close(): Promise<void>;
}

async function upstream(name: string): Promise<Upstream> {
  const waiting: (() => void)[] = [];
  const u: Upstream = {
    port: 0,
    seen: [],
    hold: false,
    release: () => waiting.splice(0).forEach((f) => f()),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      u.seen.push({ path: req.url ?? '', body: text, headers: req.headers });
      const answer = () => res.writeHead(200, { 'content-type': JSON_TYPE, 'x-worker': name }).end(JSON.stringify({ name, length: text.length }));
      if (u.hold) waiting.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  u.port = (server.address() as AddressInfo).port;
  return u;
}

function post(port: number, text: string, agent: http.Agent | false = false): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': JSON_TYPE, 'x-eior-front': 'forged', 'x-eior-client-address': '203.0.113.9' }, agent }, (res) => {
      let out = '';
      res.on('data', (d) => (out += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: out }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** The priority worker's listener on a port of its own; what it answers itself waits while `hold` is on. */
async function entry(mixPorts: number[]) {
  const here: { path: string; body: string | undefined }[] = [];
  const waiting: (() => void)[] = [];
  const state = { hold: false };
  const serve = (req: IncomingMessage, res: ServerResponse, text?: string) => {
    here.push({ path: req.url ?? '', body: text });
    const answer = () => res.writeHead(200, { 'content-type': JSON_TYPE, 'x-worker': 'priority' }).end('{}');
    if (state.hold) waiting.push(answer);
    else answer();
  };
  const { listener, close } = priorityEntry({ maxBodyBytes: 1_000, mixPorts: () => mixPorts, token: 'secret', log: createLogger('silent') }, serve);
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    here,
    state,
    release: () => waiting.splice(0).forEach((f) => f()),
    close: () => new Promise<void>((resolve) => (close(), server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('priorityEntry', () => {
  const recs = body('{ recommendations(dataset: "d", userId: "1") { edges { cursor } } }');
  const other = body('{ datasets { name } }');

  it('answers priority reads itself and passes the rest to the least busy mix worker, with the caller and the token', async () => {
    const [mixA, mixB] = await Promise.all([upstream('a'), upstream('b')]);
    const front = await entry([mixA.port, mixB.port]);
    try {
      const r = await post(front.port, recs);
      expect([r.status, r.headers['x-worker'], r.headers[LANE_HEADER]]).toEqual([200, 'priority', 'priority']);
      expect(front.here).toEqual([{ path: '/graphql', body: recs }]);
      const o = await post(front.port, other);
      expect([o.status, o.headers[LANE_HEADER]]).toEqual([200, 'mix']);
      expect(o.headers['server-timing']).toMatch(/^front;dur=\d+(\.\d)?$/);
      const seen = [...mixA.seen, ...mixB.seen];
      expect(seen.map((s) => s.body)).toEqual([other]);
      // the entry's own headers replace what the caller sent under their names
      expect(seen[0].headers['x-eior-front']).toBe('secret');
      expect(seen[0].headers['x-eior-client-address']).toBe('127.0.0.1');
      // a mix worker holds its request: the next two go to the other, the least busy
      mixA.hold = true;
      mixB.hold = true;
      const before = mixA.seen.length;
      const first = post(front.port, other);
      while (mixA.seen.length + mixB.seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      const held = mixA.seen.length > before ? mixA : mixB;
      const free = held === mixA ? mixB : mixA;
      free.hold = false;
      const second = await post(front.port, other);
      const third = await post(front.port, other);
      expect([second.headers['x-worker'], third.headers['x-worker']]).toEqual([free === mixA ? 'a' : 'b', free === mixA ? 'a' : 'b']);
      held.release();
      expect((await first).status).toBe(200);
      // other routes are answered here, unread
      const health = await new Promise<number>((resolve, reject) => http.get(`http://127.0.0.1:${front.port}/health?x=1`, { agent: false }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
      expect([health, front.here.at(-1)]).toEqual([200, { path: '/health?x=1', body: undefined }]);
    } finally {
      await front.close();
      await Promise.all([mixA.close(), mixB.close()]);
    }
  });

  it('passes a priority read on once 4 are in flight here and a mix worker has fewer', async () => {
    const mix = await upstream('mix');
    const front = await entry([mix.port]);
    try {
      front.state.hold = true;
      const held = Array.from({ length: 4 }, () => post(front.port, recs));
      while (front.here.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
      const fifth = await post(front.port, recs);
      expect([fifth.headers['x-worker'], fifth.headers[LANE_HEADER]]).toEqual(['mix', 'mix']);
      front.release();
      expect((await Promise.all(held)).map((r) => r.headers['x-worker'])).toEqual(['priority', 'priority', 'priority', 'priority']);
    } finally {
      await front.close();
      await mix.close();
    }
  });

  it('passes a request a gone mix worker refused to another, and skips the gone one after that', async () => {
    const [gone, live] = await Promise.all([upstream('gone'), upstream('live')]);
    await gone.close(); // its port now refuses connections
    const front = await entry([gone.port, live.port]);
    try {
      for (let k = 0; k < 4; k++) {
        const r = await post(front.port, other);
        expect([r.status, r.headers['x-worker']]).toEqual([200, 'live']);
      }
      expect(live.seen).toHaveLength(4);
    } finally {
      await front.close();
      await live.close();
    }
  });

  it('answers 413 past the body limit without reading on, and 503 without a mix worker', async () => {
    const front = await entry([]);
    try {
      const large = await post(front.port, JSON.stringify({ query: 'x'.repeat(1_001) }));
      expect(large.status).toBe(413);
      expect(large.headers.connection).toBe('close');
      expect(JSON.parse(large.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      const none = await post(front.port, other);
      expect([none.status, JSON.parse(none.body).errors[0].extensions.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(front.here).toHaveLength(0);
    } finally {
      await front.close();
    }
  });
});
