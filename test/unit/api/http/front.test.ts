// The front of `eior serve --workers N`: which request bodies it sends to the priority worker (worked out by hand
// from the rule: one query of recommendations / rating / item, no version asked for), and what it does on the wire
// with two plain HTTP servers standing in for the workers: routing, the caller's address and the front's token,
// 413 past the body limit without a worker, the least busy mix worker, priority reads past 2 in flight spilled, and a close that waits for requests in flight.
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFront, LANE_HEADER } from '../../../../apps/api/src/http/front';
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

describe('startFront', () => {
  const recs = body('{ recommendations(dataset: "d", userId: "1") { edges { cursor } } }');
  const other = body('{ datasets { name } }');

  it('routes priority reads to the priority worker, the rest to the least busy mix worker, with the caller and its token', async () => {
    const [priority, mixA, mixB] = await Promise.all([upstream('priority'), upstream('a'), upstream('b')]);
    const front = await startFront({ host: '127.0.0.1', port: 0, maxBodyBytes: 1_000, upstreams: () => ({ priority: priority.port, mix: [mixA.port, mixB.port] }), token: 'secret', log: createLogger('silent') });
    try {
      const r = await post(front.port, recs);
      expect([r.status, r.headers['x-worker'], r.headers[LANE_HEADER]]).toEqual([200, 'priority', 'priority']);
      expect(priority.seen[0].body).toBe(recs);
      expect(r.headers['server-timing']).toMatch(/^front;dur=\d+(\.\d)?$/);
      // the front's own headers replace what the caller sent under their names
      expect(priority.seen[0].headers['x-eior-front']).toBe('secret');
      expect(priority.seen[0].headers['x-eior-client-address']).toBe('127.0.0.1');
      // a mix worker holds its request: the next two go to the other, the least busy
      mixA.hold = true;
      mixB.hold = true;
      const first = post(front.port, other);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const held = mixA.seen.length === 1 ? mixA : mixB;
      const free = held === mixA ? mixB : mixA;
      free.hold = false;
      const second = await post(front.port, other);
      const third = await post(front.port, other);
      expect([second.headers[LANE_HEADER], second.headers['x-worker'], third.headers['x-worker']]).toEqual(['mix', held === mixA ? 'b' : 'a', held === mixA ? 'b' : 'a']);
      // close waits for the request in flight
      let closed = false;
      const closing = front.close(5_000).then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      held.release();
      expect((await first).status).toBe(200);
      await closing;
      await expect(post(front.port, other)).rejects.toThrow();
    } finally {
      await front.close(0);
      await Promise.all([priority.close(), mixA.close(), mixB.close()]);
    }
  });

  it('sends a priority read to a mix worker once the priority worker has 2 in flight and the mix worker fewer', async () => {
    const [priority, mix] = await Promise.all([upstream('priority'), upstream('mix')]);
    const front = await startFront({ host: '127.0.0.1', port: 0, maxBodyBytes: 1_000, upstreams: () => ({ priority: priority.port, mix: [mix.port] }), token: 't', log: createLogger('silent') });
    try {
      priority.hold = true;
      const held = [post(front.port, recs), post(front.port, recs)];
      while (priority.seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      const third = await post(front.port, recs);
      expect([third.headers['x-worker'], third.headers[LANE_HEADER]]).toEqual(['mix', 'mix']);
      priority.release();
      expect((await Promise.all(held)).map((r) => r.headers['x-worker'])).toEqual(['priority', 'priority']);
    } finally {
      await front.close(0);
      await Promise.all([priority.close(), mix.close()]);
    }
  });

  it('answers 413 past the body limit itself, and sends other routes and a missing priority worker to the mix', async () => {
    const mix = await upstream('mix');
    const front = await startFront({ host: '127.0.0.1', port: 0, maxBodyBytes: 1_000, upstreams: () => ({ priority: null, mix: [mix.port] }), token: 't', log: createLogger('silent') });
    try {
      const large = await post(front.port, JSON.stringify({ query: 'x'.repeat(1_001) }));
      expect(large.status).toBe(413);
      expect(large.headers.connection).toBe('close');
      expect(JSON.parse(large.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(mix.seen).toHaveLength(0);
      expect((await post(front.port, recs)).headers['x-worker']).toBe('mix');
      const health = await new Promise<number>((resolve, reject) => http.get(`http://127.0.0.1:${front.port}/health?x=1`, { agent: false }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
      expect(health).toBe(200);
      expect(mix.seen.map((s) => s.path)).toEqual(['/graphql', '/health?x=1']);
    } finally {
      await front.close(0);
      await mix.close();
    }
  });
});
