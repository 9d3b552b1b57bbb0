// The work gate and what skips it: places taken in arrival order, 429 with the seconds to wait once the queue is
// full, the priority operations (recommendations, rating, item from memory) never held back; worked out by hand
// on a clock the test moves.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { ApiError } from '../../../../apps/api/src/errors';
import { errorStatusPlugin } from '../../../../apps/api/src/format-error';
import { isPriority, workGatePlugin } from '../../../../apps/api/src/http/priority';
import { WorkGate } from '../../../../apps/api/src/http/work-gate';
import { PriorityLane } from '../../../../apps/api/src/priority-lane';

const turns = async (n = 5) => {
  for (let k = 0; k < n; k++) await new Promise((r) => setImmediate(r));
};

describe('WorkGate', () => {
  it('runs `limit` at once, queues the next `maxQueued` in order, and refuses one more with Retry-After from the mean hold', async () => {
    let t = 0;
    const gate = new WorkGate({ limit: 2, maxQueued: 1 }, () => t);
    const releaseA = await gate.enter('A');
    const releaseB = await gate.enter('B');
    const order: string[] = [];
    const c = gate.enter('C').then((release) => (order.push('C'), release));
    await turns();
    expect(order).toEqual([]);
    expect(gate.load).toEqual({ running: 2, queued: 1 });
    // full: (1 queued + 1) x 100 ms (the first mean) / 2 places = 0.1 s, at least 1 s
    const d = await gate.enter('D').catch((e: unknown) => e);
    expect(d).toBeInstanceOf(ApiError);
    expect((d as ApiError).code).toBe('TOO_MANY_REQUESTS');
    expect((d as ApiError).extensions.retryAfterSeconds).toBe(1);
    expect((d as ApiError).message).toMatch(/^D: this server process is running 2 such operations with 1 waiting; retry in 1 s/);

    t = 10_000;
    releaseA(); // held 10,000 ms: mean 100 + 0.2 x (10,000 - 100) = 2,080 ms; its place goes to C
    releaseA(); // a second release gives nothing back
    const releaseC = await c;
    expect(order).toEqual(['C']);
    expect(gate.load).toEqual({ running: 2, queued: 0 });
    const e = gate.enter('E').then((release) => (order.push('E'), release));
    await turns();
    // full again: (1 + 1) x 2,080 ms / 2 places = 2.08 s, rounded up
    await expect(gate.enter('F')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', extensions: { retryAfterSeconds: 3 } });

    t = 10_500;
    releaseB();
    const releaseE = await e;
    expect(order).toEqual(['C', 'E']);
    releaseC();
    releaseE();
    expect(gate.load).toEqual({ running: 0, queued: 0 });
    (await gate.enter('G'))(); // free again: admitted at once
    expect(gate.load).toEqual({ running: 0, queued: 0 });
  });
});

describe('isPriority', () => {
  const schema = buildSchema(readFileSync(path.join(__dirname, '..', '..', '..', '..', 'schema.graphql'), 'utf8'));
  const priority = (query: string, variables?: Record<string, unknown>) => {
    const doc = parse(query);
    const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const fragments = doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition');
    return isPriority(schema, operation, fragments, variables);
  };
  const recs = (args = '') => `recommendations(dataset: "g", userId: "1", first: 20${args}) { totalCount edges { node { rating item { id } explanation { summary } } } }`;

  it('lets queries of the served model through: recommendations, rating, item, without another version', () => {
    expect(priority(`{ ${recs()} }`)).toBe(true);
    expect(priority(`{ ${recs(', modelVersion: null')} }`)).toBe(true);
    expect(priority(`query($v: String) { ${recs(', modelVersion: $v')} }`, { v: null })).toBe(true);
    expect(priority(`query($v: String) { ${recs(', modelVersion: $v')} }`)).toBe(true);
    expect(priority('{ rating(dataset: "g", userId: "1", itemId: "2") { rating } item(dataset: "g", itemId: "2") { id } }')).toBe(true);
  });

  it('holds back everything else: another version, other root fields, mutations, root fragments, a costly document', () => {
    expect(priority(`{ ${recs(', modelVersion: "v0001"')} }`)).toBe(false);
    expect(priority(`query($v: String) { ${recs(', modelVersion: $v')} }`, { v: 'v0001' })).toBe(false);
    expect(priority('{ datasets { name } }')).toBe(false);
    expect(priority(`{ ${recs()} drift(dataset: "g") { state } }`)).toBe(false);
    expect(priority('mutation { recordInteractions(dataset: "g", interactions: []) { recorded } }')).toBe(false);
    expect(priority(`{ ...F } fragment F on Query { ${recs()} }`)).toBe(false);
    // 1 + 100 x (edges 1 + node 1 + item 1 + similarItems (1 + 50 x (item 1 + id 1)) ...) is far over 2,500
    expect(priority('{ recommendations(dataset: "g", userId: "1", first: 100) { edges { node { item { similarItems(first: 50) { item { id } } } } } } }')).toBe(false);
  });
});

describe('workGatePlugin', () => {
  it('answers 429 with Retry-After when the gate is full, while priority operations go through', async () => {
    let finish: (value: number) => void = () => undefined;
    const slow = new Promise<number>((resolve) => (finish = resolve));
    const gate = new WorkGate({ limit: 1, maxQueued: 0 });
    const server = new ApolloServer({
      typeDefs: 'type Query { slow: Int, item: Int }',
      resolvers: { Query: { slow: () => slow, item: () => 7 } },
      plugins: [errorStatusPlugin, workGatePlugin(gate, new PriorityLane())],
    });
    await server.start();
    try {
      const first = server.executeOperation({ query: '{ slow }' });
      for (let k = 0; k < 50 && gate.load.running === 0; k++) await turns(1);
      expect(gate.load).toEqual({ running: 1, queued: 0 });
      const refused = await server.executeOperation({ query: '{ slow }' });
      expect(refused.http.status).toBe(429);
      expect(refused.http.headers.get('retry-after')).toBe('1');
      expect(refused.body.kind === 'single' && refused.body.singleResult.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
      const cheap = await server.executeOperation({ query: '{ item }' });
      expect(cheap.body.kind === 'single' && cheap.body.singleResult.data).toEqual({ item: 7 });
      finish(3);
      const done = await first;
      expect(done.body.kind === 'single' && done.body.singleResult.data).toEqual({ slow: 3 });
      expect(gate.load).toEqual({ running: 0, queued: 0 });
    } finally {
      await server.stop();
    }
  });

  it('holds a gated operation back while a priority operation is in flight, and lets it run when that one answers', async () => {
    let answer: (value: number) => void = () => undefined;
    const pending = new Promise<number>((resolve) => (answer = resolve));
    const order: string[] = [];
    const lane = new PriorityLane(60_000);
    const server = new ApolloServer({
      typeDefs: 'type Query { other: Int, item: Int }',
      resolvers: { Query: { other: () => (order.push('other'), 1), item: () => pending.then((v) => (order.push('item'), v)) } },
      plugins: [errorStatusPlugin, workGatePlugin(new WorkGate({ limit: 4, maxQueued: 4 }), lane)],
    });
    await server.start();
    try {
      const item = server.executeOperation({ query: '{ item }' });
      for (let k = 0; k < 50 && lane.busy === 0; k++) await turns(1);
      expect(lane.busy).toBe(1);
      const other = server.executeOperation({ query: '{ other }' });
      await turns(20);
      expect(order).toEqual([]); // admitted by the gate, but waiting for the lane
      answer(7);
      const [a, b] = await Promise.all([item, other]);
      expect(order).toEqual(['item', 'other']);
      expect(a.body.kind === 'single' && a.body.singleResult.data).toEqual({ item: 7 });
      expect(b.body.kind === 'single' && b.body.singleResult.data).toEqual({ other: 1 });
      expect(lane.busy).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
