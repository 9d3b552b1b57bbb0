// The GraphQL API over real HTTP, a real Neo4j and a trained EIOR model: recommendations with explanations whose
// parts add up, paging, bounded database round trips per page, bad input of every kind answered with a 4xx error
// that changes nothing, feedback written idempotently, and a model swap with no failed request.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiKey, loadServingModel, type RunningApi } from '../../apps/api/src';
import { GraphStatsThread } from '../../apps/api/src/serving/graph-stats-thread';
import { dropDataset, type GraphClient, type TrainingExport } from '../../libs/graph/src';
import { driftReady, gql, gqlRetrying, startTestApi } from '../helpers/api';
import { lastJsonLine, runCli } from '../helpers/cli';
import { datasetDigest, testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { ingestGenerated, trainTinyEior } from '../helpers/trained-dataset';

const NAME = `api-${process.pid}`;

const PAGE = `query Page($dataset: String!, $user: String!, $first: Int!, $after: String) {
  recommendations(dataset: $dataset, userId: $user, first: $first, after: $after) {
    totalCount modelVersion pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id rank rating interacted modelVersion model
      item { id index interactions { train feedback } features { modality width norm } }
      explanation {
        invariantWeight variantWeight invariantScore variantScore environment summary
        modalities { modality invariantContribution variantContribution }
        branches { branch weight score idContribution biasContribution }
        becauseYouInteractedWith { similarity kind item { id features { modality norm } } }
      }
    } }
  }
}`;

interface Node {
  id: string;
  rank: number;
  rating: number;
  interacted: boolean;
  modelVersion: string;
  item: { id: string; index: number; interactions: { train: number; feedback: number } };
  explanation: {
    invariantWeight: number;
    variantWeight: number;
    invariantScore: number;
    variantScore: number;
    modalities: { modality: string; invariantContribution: number; variantContribution: number }[];
    branches: { branch: string; weight: number; score: number; idContribution: number; biasContribution: number }[];
    becauseYouInteractedWith: { similarity: number; kind: string; item: { id: string } }[];
  };
}
/** Equal lengths and each value within 1e-6 (the CLI's and the test's backends may round differently). */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, k) => expect(a).toBeCloseTo(expected[k], 6));
}

/** One item of `eior explain --json`. */
interface CliItem {
  item: string;
  seen: boolean;
  rating: number;
  invariantWeight: number;
  variantWeight: number;
  invariant: { score: number; id: number; bias: number; modalities: { modality: string; contribution: number }[] };
  variant: CliItem['invariant'];
  becauseYouWatched: { item: string; similarity: number; kind: string }[];
}
const RATING = `query($d: String!, $u: String!, $i: String!) { rating(dataset: $d, userId: $u, itemId: $i) {
  rating interacted explanation {
    invariantWeight variantWeight environment
    branches { branch score idContribution biasContribution }
    modalities { modality invariantContribution variantContribution }
    becauseYouInteractedWith(first: 3) { similarity kind item { id } }
  } } }`;
interface RatedPair {
  rating: number;
  interacted: boolean;
  explanation: Node['explanation'] & { environment: number | null };
}
interface DriftJson {
  subject: string;
  method: string;
  value: number;
  threshold: number;
  drifted: boolean;
}

/** The drift verdict worked out from (method, value, threshold): p-values drift below, distances and shares at or above. */
function driftedBy(v: DriftJson): boolean {
  if (v.method === 'ks') return v.value <= v.threshold;
  if (v.method === 'chisquare' || v.method === 'z' || v.method === 'mean-overlap') return v.value < v.threshold;
  return v.value >= v.threshold;
}

interface PageData {
  recommendations: { totalCount: number; modelVersion: string; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { cursor: string; node: Node }[] };
}

describe('GraphQL API', () => {
  let client: GraphClient;
  let api: RunningApi;
  let data: TrainingExport;
  let key: string;
  let firstVersion: string;
  const tmp = tempDir('api');
  const home = path.join(tmp.dir, 'home');
  const env = { ...process.env, EIOR_HOME: home };
  let url: string;
  const user = () => data.userIds[7];

  beforeAll(async () => {
    client = await testGraph();
    data = await ingestGenerated(client, { name: NAME, dir: tmp.dir });
    firstVersion = await trainTinyEior(NAME, home);
    key = (await createApiKey(path.join(home, 'api-keys.json'), 'tests')).key;
    api = await startTestApi(client, home);
    url = api.url;
  });
  afterAll(async () => {
    await api?.close();
    await dropDataset(client, NAME);
    await client.close();
    tmp.remove();
  });

  it('serves a page of recommendations whose explanations add up to each rating', async () => {
    const res = await gql<PageData>(url, PAGE, { dataset: NAME, user: user(), first: 50 });
    expect(res.errors).toEqual([]);
    const page = res.data!.recommendations;
    expect(page.modelVersion).toBe(firstVersion);
    expect(page.edges.map((e) => e.node.rank)).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
    const u = data.userIds.indexOf(user());
    const train = new Set<number>();
    for (let k = 0; k < data.train.users.length; k++) if (data.train.users[k] === u) train.add(data.train.items[k]);
    let previous = Infinity;
    for (const { node } of page.edges) {
      const e = node.explanation;
      expect(node.rating).toBeLessThanOrEqual(previous);
      previous = node.rating;
      expect(train.has(node.item.index)).toBe(false);
      expect(node.interacted).toBe(false);
      expect(e.invariantWeight).toBeGreaterThanOrEqual(0);
      expect(e.variantWeight).toBeGreaterThanOrEqual(0);
      expect(e.invariantWeight + e.variantWeight).toBeCloseTo(1, 6);
      expect(e.invariantWeight * e.invariantScore + e.variantWeight * e.variantScore).toBeCloseTo(node.rating, 4);
      for (const b of e.branches) {
        const key = b.branch === 'INVARIANT' ? 'invariantContribution' : 'variantContribution';
        const modalities = e.modalities.reduce((s, m) => s + m[key], 0);
        expect(b.idContribution + b.biasContribution + modalities).toBeCloseTo(b.score, 4);
      }
      expect(e.modalities.map((m) => m.modality).sort()).toEqual(data.features.map((f) => f.modality).sort());
      expect(e.becauseYouInteractedWith.length).toBeGreaterThan(0);
      for (const b of e.becauseYouInteractedWith) expect(train.has(data.itemIds.indexOf(b.item.id))).toBe(true);
    }
  });

  it('loads a version with its graph statistics made in a worker thread, scoring as a load in this thread does', async () => {
    // the served model was loaded that way (the wait for the thread is logged as a step of its own)
    expect(api.registry.peek(NAME)?.loadSteps).toHaveProperty('graphStats');
    const thread = new GraphStatsThread();
    try {
      const apart = await loadServingModel(client, api.registry.modelsDir, NAME, firstVersion, { statsThread: thread });
      const here = await loadServingModel(client, api.registry.modelsDir, NAME, firstVersion);
      expect(thread.computed).toBe(1);
      expect(here.loadSteps).not.toHaveProperty('graphStats');
      const users = Int32Array.from([0, 7, 19]);
      expect(Array.from(apart.scoreAll(users))).toEqual(Array.from(here.scoreAll(users)));
      expect(Array.from(apart.trainItemsOf(7))).toEqual(Array.from(here.trainItemsOf(7)));
      apart.dispose();
      here.dispose();
    } finally {
      await thread.close();
    }
  });

  it('reads a page of 50 with items, features and because-you-watched items in a bounded number of round trips', async () => {
    await gql(url, PAGE, { dataset: NAME, user: data.userIds[1], first: 5 }); // model loaded
    const before = client.transactionCount;
    const big = await gql<PageData>(url, PAGE, { dataset: NAME, user: data.userIds[2], first: 50 });
    const forFifty = client.transactionCount - before;
    const mid = client.transactionCount;
    await gql<PageData>(url, PAGE, { dataset: NAME, user: data.userIds[3], first: 5 });
    const forFive = client.transactionCount - mid;
    expect(big.errors).toEqual([]);
    // at most: one batch for the page's items, one for the because-you-watched items (a deeper level of the
    // query), one for the dataset's feedback counts; whatever the page size
    expect(forFifty).toBeLessThanOrEqual(3);
    expect(forFive).toBeLessThanOrEqual(3);
  });

  it('pages with cursors: the second page continues the first exactly', async () => {
    const whole = (await gql<PageData>(url, PAGE, { dataset: NAME, user: user(), first: 40 })).data!.recommendations;
    const first = (await gql<PageData>(url, PAGE, { dataset: NAME, user: user(), first: 20 })).data!.recommendations;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await gql<PageData>(url, PAGE, { dataset: NAME, user: user(), first: 20, after: first.pageInfo.endCursor })).data!.recommendations;
    expect([...first.edges, ...second.edges].map((e) => e.node.item.id)).toEqual(whole.edges.map((e) => e.node.item.id));
    expect(second.edges[0].node.rank).toBe(21);
  });

  it('rates any pair exactly as the ranking does', async () => {
    const page = (await gql<PageData>(url, PAGE, { dataset: NAME, user: user(), first: 3 })).data!.recommendations;
    const top = page.edges[0].node;
    const res = await gql<{ rating: Node }>(url, `query($d: String!, $u: String!, $i: String!) { rating(dataset: $d, userId: $u, itemId: $i) {
      id rating explanation { invariantWeight invariantScore variantScore } item { id } user { id environment } } }`, { d: NAME, u: user(), i: top.item.id });
    expect(res.errors).toEqual([]);
    expect(res.data!.rating.rating).toBeCloseTo(top.rating, 5);
    expect(res.data!.rating.id).toBe(top.id);
    expect(res.data!.rating.explanation.invariantWeight).toBeCloseTo(top.explanation.invariantWeight, 6);
  });

  it('explains a pair with the same figures as `eior explain` (one serving loader): top items, weights, parts, environment, because you watched', async () => {
    const page = (await gql<PageData>(url, PAGE, { dataset: NAME, user: user(), first: 3 })).data!.recommendations;
    const u = data.userIds.indexOf(user());
    const trainItem = data.itemIds[data.train.items[data.train.users.indexOf(u)]];
    const top = await runCli(['explain', '--dataset', NAME, '--user', user(), '--top', '3', '--json'], env);
    const one = await runCli(['explain', '--dataset', NAME, '--user', user(), '--item', trainItem, '--json'], env);
    expect([top.code, one.code]).toEqual([0, 0]);
    const cli = [...(lastJsonLine(top.stdout) as { items: CliItem[] }).items, ...(lastJsonLine(one.stdout) as { items: CliItem[] }).items];
    const header = lastJsonLine(top.stdout) as { version: string; environment: number | null };
    expect(header.version).toBe(page.modelVersion);
    expect(cli.map((c) => c.item)).toEqual([...page.edges.map((e) => e.node.item.id), trainItem]);
    for (const c of cli) {
      const res = await gql<{ rating: RatedPair }>(url, RATING, { d: NAME, u: user(), i: c.item });
      expect(res.errors).toEqual([]);
      const api = res.data!.rating;
      expect(api.interacted).toBe(c.seen);
      expect(api.explanation.environment).toBe(header.environment);
      expect(c.rating).toBeCloseTo(api.rating, 6);
      expect(c.invariantWeight).toBeCloseTo(api.explanation.invariantWeight, 6);
      expect(c.variantWeight).toBeCloseTo(api.explanation.variantWeight, 6);
      for (const [name, parts] of [['INVARIANT', c.invariant], ['VARIANT', c.variant]] as const) {
        const branch = api.explanation.branches.find((b) => b.branch === name)!;
        expectClose([branch.score, branch.idContribution, branch.biasContribution], [parts.score, parts.id, parts.bias]);
        const key = name === 'INVARIANT' ? 'invariantContribution' : 'variantContribution';
        expect(api.explanation.modalities.map((m) => m.modality)).toEqual(parts.modalities.map((m) => m.modality));
        expectClose(api.explanation.modalities.map((m) => m[key]), parts.modalities.map((m) => m.contribution));
      }
      const because = api.explanation.becauseYouInteractedWith;
      expect(because.map((b) => [b.item.id, b.kind])).toEqual(c.becauseYouWatched.map((b) => [b.item, b.kind.toUpperCase().replace('-', '_')]));
      expectClose(because.map((b) => b.similarity), c.becauseYouWatched.map((b) => b.similarity));
    }
  });

  it('answers bad input with a 4xx error that names it and changes nothing', async () => {
    const before = await datasetDigest(client, NAME);
    const odd = ['nobody', '"}) MATCH (n) DETACH DELETE n //', "' OR 1=1 --", '😀🧪\u202Eevil', 'ü'.repeat(200), '$dataset', '\\u0000', '../../etc/passwd'];
    for (const id of odd) {
      const res = await gql(url, PAGE, { dataset: NAME, user: id, first: 5 });
      expect(res.status).toBe(404);
      expect(res.errors[0].extensions?.code).toBe('NOT_FOUND');
      expect(res.errors[0].extensions?.value).toBe(id); // byte for byte
    }
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ dataset: NAME, user: user(), first: 0 }, 400, 'BAD_USER_INPUT', /first = 0 .*1 to 100/],
      [{ dataset: NAME, user: user(), first: 101 }, 400, 'BAD_USER_INPUT', /first = 101/],
      [{ dataset: NAME, user: user(), first: -5 }, 400, 'BAD_USER_INPUT', /first = -5/],
      [{ dataset: NAME, user: user(), first: 2 ** 40 }, 400, 'BAD_USER_INPUT', /32-bit|Int/],
      [{ dataset: NAME, user: user(), first: 'ten' }, 400, 'BAD_USER_INPUT', /Int/],
      [{ dataset: NAME, user: 'x'.repeat(100_000), first: 5 }, 400, 'BAD_USER_INPUT', /100000 characters long/],
      [{ dataset: NAME, user: 'evil\u0000', first: 5 }, 400, 'BAD_USER_INPUT', /control character/],
      [{ dataset: NAME, user: user(), first: 5, after: 'not-a-cursor' }, 400, 'BAD_USER_INPUT', /not a cursor/],
      [{ dataset: 'no such dataset', user: user(), first: 5 }, 400, 'BAD_USER_INPUT', /"no such dataset" is not a dataset name: expected 1 to 64 letters/],
      [{ dataset: '../../../../etc/passwd', user: user(), first: 5 }, 400, 'BAD_USER_INPUT', /is not a dataset name/],
      [{ dataset: 'nosuchdataset', user: user(), first: 5 }, 404, 'NOT_FOUND', /^dataset = "nosuchdataset": no such dataset \(see `datasets`\)$/],
      [{ dataset: NAME, user: null, first: 5 }, 400, 'BAD_USER_INPUT', /userId|user/],
    ];
    for (const [variables, status, code, message] of cases) {
      const res = await gql(url, PAGE, variables);
      expect([res.status, res.errors[0]?.extensions?.code]).toEqual([status, code]);
      expect(res.errors[0].message).toMatch(message);
    }
    const item = await gql(url, `query($d: String!, $u: String!, $i: String!) { rating(dataset: $d, userId: $u, itemId: $i) { rating } }`, { d: NAME, u: user(), i: '"}) RETURN 1 //' });
    expect([item.status, item.errors[0].extensions?.code, item.errors[0].extensions?.value]).toEqual([404, 'NOT_FOUND', '"}) RETURN 1 //']);
    const syntax = await gql(url, '{ recommendations(dataset: "x" { id }');
    expect([syntax.status, syntax.errors[0].extensions?.code]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
    const after = await datasetDigest(client, NAME);
    expect(after).toEqual(before);
  });

  it('refuses queries past the depth, alias and batching limits, and cross-site GETs', async () => {
    const deep = `{ datasets { name ${'currentModel { trainingCurve { validation { name } } } '.repeat(1)} } }`;
    expect((await gql(url, deep)).status).toBe(200);
    const aliases = `{ ${Array.from({ length: 20 }, (_, k) => `a${k}: datasets { name }`).join(' ')} }`;
    const tooMany = await gql(url, aliases);
    expect(tooMany.status).toBe(400);
    expect(tooMany.errors[0].message).toMatch(/alias/i);
    const nested = `{ item(dataset: "${NAME}", itemId: "${data.itemIds[0]}") { ${'similarItems { item { '.repeat(6)} id ${'} } '.repeat(6)} } }`;
    const tooDeep = await gql(url, nested);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors[0].message).toMatch(/depth/i);
    const batched = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ datasets { name } }' }, { query: '{ datasets { name } }' }]) });
    expect(batched.status).toBe(400);
    const tokens = await gql(url, `{ datasets { ${'name '.repeat(1_100)} } }`);
    expect([tokens.status, tokens.errors[0].message]).toEqual([400, expect.stringMatching(/more than 1000 tokens/)]);
    const csrf = await fetch(`${url}?query=${encodeURIComponent('{ datasets { name } }')}`);
    expect(csrf.status).toBe(400);
    const big = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ datasets { name } } #${'x'.repeat(2_000_000)}` }) });
    expect(big.status).toBe(413);
  });

  it('records feedback idempotently, only with a key, all or nothing', async () => {
    const M = `mutation($d: String!, $x: [InteractionInput!]!) { recordInteractions(dataset: $d, interactions: $x) { recorded unchanged } }`;
    const item = data.itemIds[4];
    const rows = [0, 1, 2].map((k) => ({ id: `fb-${k}-"}) DETACH DELETE n`, userId: data.userIds[k], itemId: item, occurredAt: `2026-11-2${k}T10:00:00Z` }));
    const noKey = await gql(url, M, { d: NAME, x: rows });
    expect([noKey.status, noKey.errors[0].extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const badKey = await gql(url, M, { d: NAME, x: rows }, { authorization: 'Bearer eior_wrong' });
    expect(badKey.status).toBe(401);
    const auth = { authorization: `Bearer ${key}` };
    const count = async () => ((await gql<{ item: { interactions: { feedback: number } } }>(url, `{ item(dataset: "${NAME}", itemId: "${item}") { interactions { feedback } } }`)).data!.item.interactions.feedback);
    expect(await count()).toBe(0);
    expect((await gql(url, M, { d: NAME, x: rows }, auth)).data).toEqual({ recordInteractions: { recorded: 3, unchanged: 0 } });
    expect((await gql(url, M, { d: NAME, x: rows }, auth)).data).toEqual({ recordInteractions: { recorded: 0, unchanged: 3 } });
    expect(await count()).toBe(3);
    const conflict = await gql(url, M, { d: NAME, x: [{ ...rows[0], itemId: data.itemIds[5] }, { ...rows[1], id: 'fb-new' }] }, auth);
    expect([conflict.status, conflict.errors[0].extensions?.code]).toEqual([409, 'CONFLICT']);
    const unknown = await gql(url, M, { d: NAME, x: [{ ...rows[0], id: 'fb-new-2' }, { ...rows[1], id: 'fb-new-3', itemId: 'no-such-item' }] }, auth);
    expect([unknown.status, unknown.errors[0].extensions?.code]).toEqual([404, 'NOT_FOUND']);
    expect(unknown.errors[0].message).toContain('"no-such-item"');
    const badTime = await gql(url, M, { d: NAME, x: [{ ...rows[0], id: 'fb-t', occurredAt: 'yesterday' }] }, auth);
    expect(badTime.status).toBe(400);
    expect(await count()).toBe(3); // nothing from the refused batches
  });

  it('reports drift between environments, time windows, served α_I and feedback, each as (method, value, threshold, drifted)', async () => {
    await driftReady(api, NAME); // a report built after the feedback above and the pages served so far
    const Q = `query($d: String!) { drift(dataset: $d) { state ageSeconds modelVersion hasTimestamps comparisons { kind name referenceSize currentSize driftedShare drifted
      values { subject modality detail method value threshold drifted psi psiBand } columns { subject method value threshold drifted } } } }`;
    const res = await gql<{ drift: { state: string; ageSeconds: number; hasTimestamps: boolean; comparisons: { kind: string; name: string; referenceSize: number; currentSize: number; values: DriftJson[]; columns: DriftJson[] }[] } }>(url, Q, { d: NAME });
    expect(res.errors).toEqual([]);
    const report = res.data!.drift;
    expect([report.state, report.ageSeconds]).toEqual(['READY', expect.any(Number)]);
    expect(report.hasTimestamps).toBe(true);
    const kinds = report.comparisons.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'ENVIRONMENT')).toHaveLength(3);
    expect(report.comparisons.map((c) => c.name)).toEqual(expect.arrayContaining(['training period vs later period', 'training data vs recorded feedback', 'α_I of training pairs vs served recommendations']));
    const width = data.features.reduce((s, f) => s + f.width, 0);
    for (const c of report.comparisons) {
      expect(c.referenceSize).toBeGreaterThan(0);
      expect(c.currentSize).toBeGreaterThan(0);
      if (c.kind === 'ENVIRONMENT' || c.kind === 'TIME_WINDOW') {
        expect(c.columns).toHaveLength(width);
        expect(c.values.map((v) => v.subject)).toEqual(expect.arrayContaining(['modality', 'block', 'popularity', 'score', 'invariant-weight']));
      }
      for (const v of [...c.values, ...c.columns]) expect(v.drifted).toBe(driftedBy(v));
    }
    // Evidently's rule: tests (KS, chi-squared) at or below 1,000 reference rows, distances above
    const feedback = report.comparisons.find((c) => c.name === 'training data vs recorded feedback')!;
    expect(feedback.currentSize).toBe(3);
    expect(feedback.values.find((v) => v.subject === 'score')!.method).toMatch(/^(wasserstein|jensenshannon)$/);
  });

  it('lists model versions and environments of the served one', async () => {
    const res = await gql<{ models: { version: string; current: boolean; serving: boolean; model: string; trainingCurve: unknown[] }[]; environments: { size: number; share: number; meanInvariantWeight: number }[] }>(
      url,
      `query($d: String!) { models(dataset: $d) { version current serving model trainingCurve { epoch loss } } environments(dataset: $d) { size share meanInvariantWeight metrics { name value } } }`,
      { d: NAME },
    );
    expect(res.errors).toEqual([]);
    const served = res.data!.models.find((m) => m.serving)!;
    expect(served.version).toBe(firstVersion);
    expect(served.model).toBe('eior');
    expect(res.data!.environments.length).toBe(3);
    expect(res.data!.environments.reduce((s, e) => s + e.size, 0)).toBe(data.train.users.length);
  });

  it('answers a request that runs past the timeout with 504 TIMEOUT, and counts requests in /metrics', async () => {
    const base = api;
    const slow = await startTestApi(client, home, { limits: { ...(await import('../../apps/api/src')).DEFAULT_LIMITS, requestTimeoutMs: 1 } });
    try {
      const res = await gql(slow.url, `query($d: String!) { drift(dataset: $d) { modelVersion } }`, { d: NAME });
      expect([res.status, res.errors[0].extensions?.code]).toEqual([504, 'TIMEOUT']);
    } finally {
      await slow.close();
    }
    const before = base.served.total(NAME);
    await gql(base.url, PAGE, { dataset: NAME, user: data.userIds[9], first: 5 }, { 'x-eior-analytics': '1' });
    expect(base.served.total(NAME)).toBe(before); // the dashboard's views are not served recommendations
    await gql(base.url, PAGE, { dataset: NAME, user: data.userIds[9], first: 5 });
    expect(base.served.total(NAME)).toBe(before + 5);
    const metrics = await (await fetch(base.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(new RegExp(`eior_api_served_recommendations_total\\{dataset="${NAME}"\\} [1-9]`));
    expect(metrics).toMatch(/eior_api_http_requests_total\{route="\/graphql",status="200"\} [1-9]/);
    expect(metrics).toContain(`eior_api_model_loaded{dataset="${NAME}",version="${firstVersion}",model="eior"} 1`);
  });

  it('swaps to a newly current version without a failed request, and refuses a corrupt one', async () => {
    let stop = false;
    const seen = new Map<string, number>();
    const failures: unknown[] = [];
    const load = async (n: number) => {
      while (!stop) {
        const res = await gql<PageData>(url, PAGE, { dataset: NAME, user: data.userIds[n], first: 20 });
        if (res.status !== 200 || res.errors.length) failures.push(res.errors);
        else seen.set(res.data!.recommendations.modelVersion, (seen.get(res.data!.recommendations.modelVersion) ?? 0) + 1);
      }
    };
    const loops = [0, 1, 2, 3].map(load);
    const run = await runCli(['train', '--dataset', NAME, '--model', 'ultragcn-features', '--epochs', '1', '--seed', '2', '--force', '--json'], env);
    expect(run.code).toBe(0);
    const second = lastJsonLine(run.stdout).version as string;
    // the feedback recorded earlier joined its training data: the pairs not already in the data
    const secondManifest = JSON.parse(readFileSync(path.join(home, 'models', NAME, 'versions', second, 'manifest.json'), 'utf8'));
    const item = data.itemIds.indexOf(data.itemIds[4]);
    const inData = (u: number) => [data.train, data.valid, data.test].some((e) => e.users.some((x, k) => x === u && e.items[k] === item));
    expect(secondManifest.dataset.feedback.interactions).toBe([0, 1, 2].filter((u) => !inData(u)).length);
    const deadline = Date.now() + 60_000;
    while (!seen.has(second) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // a third version whose weights are damaged after it was written, made current by hand
    const root = path.join(home, 'models', NAME);
    const versions = path.join(root, 'versions');
    const third = 'v9999';
    const source = path.join(versions, second);
    mkdirSync(path.join(versions, third));
    const manifest = JSON.parse(readFileSync(path.join(source, 'manifest.json'), 'utf8'));
    manifest.version = third;
    writeFileSync(path.join(versions, third, 'manifest.json'), JSON.stringify(manifest));
    for (const w of manifest.weights) writeFileSync(path.join(versions, third, w.file), Buffer.alloc(w.length * 4, 7));
    writeFileSync(path.join(root, 'current.json'), JSON.stringify({ version: third }));
    const refusedBy = Date.now() + 30_000;
    while (api.registry.refused(NAME)?.version !== third && Date.now() < refusedBy) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(seen.get(second)).toBeGreaterThan(0);
    expect(api.registry.refused(NAME)?.reason).toMatch(/corrupt/);
    expect(api.registry.peek(NAME)?.version).toBe(second);
    expect(seen.has(third)).toBe(false);
    // an older version side by side with the current one
    const Q = `query($d: String!, $u: String!, $v: String) { recommendations(dataset: $d, userId: $u, first: 5, modelVersion: $v) { modelVersion edges { node { modelVersion model item { id } } } } }`;
    const old = await gqlRetrying<PageData>(url, Q, { d: NAME, u: user(), v: firstVersion }); // 429 while it loads
    expect(old.errors).toEqual([]);
    expect(old.data!.recommendations.modelVersion).toBe(firstVersion);
    expect(old.data!.recommendations.edges[0].node).toMatchObject({ modelVersion: firstVersion, model: 'eior' });
    const now = await gql<PageData>(url, Q, { d: NAME, u: user(), v: null });
    expect(now.data!.recommendations.modelVersion).toBe(second);
    const missing = await gql(url, Q, { d: NAME, u: user(), v: 'v0099' });
    expect([missing.status, missing.errors[0].extensions?.code, missing.errors[0].extensions?.value]).toEqual([404, 'NOT_FOUND', 'v0099']);
    expect((await gql(url, Q, { d: NAME, u: user(), v: 'latest' })).status).toBe(400);
    await driftReady(api, NAME);
    const overlap = await gql<{ drift: { comparisons: { kind: string; values: DriftJson[] }[] } }>(url, `query($d: String!) { drift(dataset: $d) { comparisons { kind values { subject method value threshold drifted } } } }`, { d: NAME });
    const byVersion = overlap.data!.drift.comparisons.find((c) => c.kind === 'MODEL_VERSION')!;
    expect(byVersion.values[0].value).toBeGreaterThanOrEqual(0);
    expect(byVersion.values[0].value).toBeLessThanOrEqual(1);
    expect(byVersion.values[0].drifted).toBe(driftedBy(byVersion.values[0]));
  });
});
