// The API under hostile traffic: a seeded mix of a few hundred requests built from the schema (boundary and
// hostile arguments, unauthenticated mutations, malformed bodies, batches, deep documents) never gets a 5xx other
// than MODEL_NOT_READY for the dataset without a model, never an INTERNAL_SERVER_ERROR, never a body with a path
// or an error text, and leaves the server up; API keys scoped to datasets, loads of other versions limited.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createApiKey, type RunningApi } from '../../apps/api/src';
import { dropDataset, type GraphClient, type TrainingExport } from '../../libs/graph/src';
import { leakFinder, sendFuzz, violation } from '../../bench/lib/fuzz-check';
import { FuzzRequests } from '../../bench/lib/fuzz-requests';
import { gql, startTestApi } from '../helpers/api';
import { datasetDigest, testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { ingestGenerated, trainTinyEior } from '../helpers/trained-dataset';

const NAME = `fuzz-${process.pid}`;
const BARE = `fuzz-bare-${process.pid}`;
const OTHER = `fuzz-other-${process.pid}`;
const SEED = 20261205;
const REQUESTS = 300;

describe('GraphQL API under hostile traffic', () => {
  let client: GraphClient;
  let api: RunningApi;
  let data: TrainingExport;
  let version: string;
  const tmp = tempDir('api-fuzz');
  const home = path.join(tmp.dir, 'home');
  const root = path.resolve(__dirname, '..', '..');

  beforeAll(async () => {
    client = await testGraph();
    data = await ingestGenerated(client, { name: NAME, dir: path.join(tmp.dir, 'a') });
    await ingestGenerated(client, { name: BARE, dir: path.join(tmp.dir, 'b'), users: 100, items: 100, interactions: 1500 });
    await ingestGenerated(client, { name: OTHER, dir: path.join(tmp.dir, 'c'), users: 100, items: 100, interactions: 1500 });
    version = await trainTinyEior(NAME, home);
    // three more versions of the same model (same weights, other names), none of them current
    const versions = path.join(home, 'models', NAME, 'versions');
    for (const v of ['v0002', 'v0003', 'v0004']) {
      cpSync(path.join(versions, version), path.join(versions, v), { recursive: true });
      const manifest = JSON.parse(readFileSync(path.join(versions, v, 'manifest.json'), 'utf8'));
      writeFileSync(path.join(versions, v, 'manifest.json'), JSON.stringify({ ...manifest, version: v }));
    }
    api = await startTestApi(client, home, { driftRefreshMs: 0 });
  });
  afterAll(async () => {
    await api?.close();
    for (const d of [NAME, BARE, OTHER]) await dropDataset(client, d);
    await client.close();
    tmp.remove();
  });

  it(`answers ${REQUESTS} seeded requests built from the schema without a 500, an internal detail or a dead server`, async () => {
    const before = await datasetDigest(client, NAME);
    const targets = { datasets: [NAME], withoutModel: BARE, users: data.userIds.slice(0, 50), items: data.itemIds.slice(0, 50), versions: [version, 'v0002'] };
    const fuzz = new FuzzRequests(readFileSync(path.join(root, 'schema.graphql'), 'utf8'), targets, SEED);
    const base = new URL(api.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const leakOf = leakFinder([home, tmp.dir, root]);
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    for (let k = 0; k < REQUESTS; k += 4) {
      const outcomes = await Promise.all([0, 1, 2, 3].map(() => sendFuzz(base, agent, fuzz.next(), 10_000, leakOf)));
      for (const o of outcomes) {
        statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
        const why = violation(o, BARE);
        if (why) problems.push(`${why}: ${o.request.label} ${o.request.body?.slice(0, 300)} -> ${o.status} ${o.body.slice(0, 300)}`);
      }
    }
    agent.destroy();
    expect(problems).toEqual([]);
    // the mix reached the models and the checks both: answers of several kinds
    expect(statuses.get(200)).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(400)).toBeGreaterThan(REQUESTS / 10);
    expect((await fetch(api.url.replace('/graphql', '/health'))).status).toBe(200);
    expect(await datasetDigest(client, NAME)).toEqual(before); // no write without a key
  });

  it('answers identifiers that break their rule with 400 naming the rule, before touching a file', async () => {
    const Q = `query($d: String!, $u: String!, $v: String) { recommendations(dataset: $d, userId: $u, modelVersion: $v) { totalCount } }`;
    const user = data.userIds[0];
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ d: '../../../../etc/passwd', u: user }, 400, 'BAD_USER_INPUT', /is not a dataset name: expected 1 to 64 letters/],
      [{ d: '\u0000', u: user }, 400, 'BAD_USER_INPUT', /is not a dataset name/],
      [{ d: 'models', u: user }, 404, 'NOT_FOUND', /^dataset = "models": no such dataset \(see `datasets`\)$/],
      [{ d: NAME, u: user, v: '../v0001' }, 400, 'BAD_USER_INPUT', /is not a model version: expected v and four digits/],
      [{ d: NAME, u: user, v: 'v0099' }, 404, 'NOT_FOUND', /has no model version "v0099"/],
      [{ d: NAME, u: 'a\u0000' }, 400, 'BAD_USER_INPUT', /control character/],
      [{ d: BARE, u: user }, 503, 'MODEL_NOT_READY', /no trained model/],
    ];
    for (const [variables, status, code, message] of cases) {
      const res = await gql(api.url, Q, variables);
      expect([res.status, res.errors[0]?.extensions?.code]).toEqual([status, code]);
      expect(res.errors[0].message).toMatch(message);
      expect(JSON.stringify(res.errors)).not.toContain(OTHER); // no other tenant's name
      expect(JSON.stringify(res.errors)).not.toContain(home);
    }
  });

  it('shows a key scoped to datasets only those datasets, and answers the others as if they did not exist', async () => {
    const scoped = (await createApiKey(path.join(home, 'api-keys.json'), 'team-other', [OTHER])).key;
    const auth = { authorization: `Bearer ${scoped}` };
    const names = await gql<{ datasets: { name: string }[] }>(api.url, '{ datasets { name } }', {}, auth);
    expect(names.data!.datasets.map((d) => d.name)).toEqual([OTHER]);
    const all = await gql<{ datasets: { name: string }[] }>(api.url, '{ datasets { name } }');
    expect(all.data!.datasets.map((d) => d.name)).toEqual(expect.arrayContaining([NAME, BARE, OTHER]));
    const hidden = await gql(api.url, `query($d: String!) { models(dataset: $d) { version } }`, { d: NAME }, auth);
    const missing = await gql(api.url, `query($d: String!) { models(dataset: $d) { version } }`, { d: 'nosuchdataset' }, auth);
    expect([hidden.status, hidden.errors[0].extensions?.code, hidden.errors[0].message]).toEqual([404, 'NOT_FOUND', `dataset = "${NAME}": no such dataset for this API key (see \`datasets\`)`]);
    expect(missing.errors[0].message).toBe('dataset = "nosuchdataset": no such dataset for this API key (see `datasets`)');
    const M = `mutation($d: String!, $x: [InteractionInput!]!) { recordInteractions(dataset: $d, interactions: $x) { recorded } }`;
    const write = await gql(api.url, M, { d: NAME, x: [{ id: 'scoped-1', userId: data.userIds[0], itemId: data.itemIds[0], occurredAt: '2026-11-27T21:00:00Z' }] }, auth);
    expect([write.status, write.errors[0].extensions?.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('limits loads of other model versions per client with 429 and Retry-After, and keeps serving the current one', async () => {
    const Q = `query($v: String) { recommendations(dataset: "${NAME}", userId: "${data.userIds[1]}", first: 5, modelVersion: $v) { modelVersion } }`;
    // a client of its own (limits are per key, else per address): the fuzz mix above spent the address's allowance
    const key = (await createApiKey(path.join(home, 'api-keys.json'), 'loader')).key;
    const answers = [];
    // v0003 and v0004 are loaded (the two of the allowance; v0002, if the mix loaded it, is evicted), v0003 again is
    // free, and v0002 would be a third load
    for (const v of ['v0003', 'v0004', 'v0003', 'v0002']) {
      const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: Q, variables: { v } }) });
      answers.push([res.status, res.headers.get('retry-after'), ((await res.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0].extensions.code ?? null]);
    }
    expect(answers.slice(0, 3)).toEqual([[200, null, null], [200, null, null], [200, null, null]]);
    expect(answers[3]).toEqual([429, expect.stringMatching(/^\d+$/), 'TOO_MANY_REQUESTS']);
    expect(api.registry.peek(NAME)?.version).toBe(version);
    const served = await gql<{ recommendations: { modelVersion: string } }>(api.url, Q, { v: null });
    expect(served.data!.recommendations.modelVersion).toBe(version);
    const flood = await gql(api.url, `{ ${['v0002', 'v0003', 'v0004'].map((v, k) => `r${k}: recommendations(dataset: "${NAME}", userId: "${data.userIds[1]}", modelVersion: "${v}") { totalCount }`).join(' ')} }`);
    // 3 × (5,000 for modelVersion + first's default 20 × totalCount 1)
    expect([flood.status, flood.errors[0].extensions?.code, flood.errors[0].message]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED', expect.stringMatching(/costs 15060 and the limit is 10000/)]);
  });

  it('serves drift from the last report built in the background, saying when none is ready', async () => {
    const Q = `query($d: String!) { drift(dataset: $d) { state modelVersion computedAt ageSeconds comparisons { kind } } }`;
    const first = await gql<{ drift: { state: string; computedAt: string | null; ageSeconds: number | null; comparisons: unknown[] } }>(api.url, Q, { d: NAME });
    expect(first.status).toBe(200);
    if (first.data!.drift.state === 'NOT_READY') expect(first.data!.drift).toMatchObject({ computedAt: null, ageSeconds: null, comparisons: [] });
    await api.drift.refresh(await api.registry.get(NAME));
    const ready = await gql<{ drift: { state: string; modelVersion: string; ageSeconds: number; comparisons: unknown[] } }>(api.url, Q, { d: NAME });
    expect(ready.data!.drift).toMatchObject({ state: 'READY', modelVersion: version });
    expect(ready.data!.drift.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(ready.data!.drift.comparisons.length).toBeGreaterThan(0);
  });

  it('builds drift reports in every process but the priority worker, which passes drift on and answers recommendations', async () => {
    // the same models as `api`, once as a plain worker and once as the priority worker of `eior serve --workers N`
    const plain = await startTestApi(client, home, { driftRefreshMs: 60_000 });
    const priority = await startTestApi(client, home, { driftRefreshMs: 60_000 }, { token: 'test-token', mixPorts: () => [] });
    try {
      // a model that starts serving has its report queued at once (onServing runs before `get` resolves)
      await plain.registry.get(NAME);
      await priority.registry.get(NAME);
      const state = plain.drift.state(NAME);
      expect(state.computing || state.report !== null).toBe(true);
      expect(priority.drift.state(NAME)).toEqual({ report: null, computing: false });
      const Q = `{ recommendations(dataset: "${NAME}", userId: "${data.userIds[1]}", first: 3) { edges { node { rating } } } }`;
      const res = await fetch(priority.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: Q }) });
      expect([res.status, res.headers.get('x-eior-lane')]).toEqual([200, 'priority']);
      expect(((await res.json()) as { data: { recommendations: { edges: unknown[] } } }).data.recommendations.edges).toHaveLength(3);
      expect(priority.drift.state(NAME)).toEqual({ report: null, computing: false });
      await plain.drift.refresh(await plain.registry.get(NAME));
      expect(plain.drift.state(NAME).report?.modelVersion).toBe(version);
    } finally {
      await plain.close();
      await priority.close();
    }
  });
});
