// The dashboard in a real browser over the whole stack: a real Neo4j, the API serving a small trained EIOR model,
// `next build` + `next start`, Debian's Chromium. Each page is checked against the API's own answers (first
// recommendation and its weights, a rating explained by a click, environment sizes, drift values, the model's
// config), then the error states: unknown user, dataset without a model, and the API stopped.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi } from '../../apps/api/src';
import { closeTuning, dropDataset, ingestDataset, openTuning, recordTrial, requireDataset, type GraphClient } from '../../libs/graph/src';
import { driftReady, gql, gqlRetrying, startTestApi } from '../helpers/api';
import { lastJsonLine, runCli } from '../helpers/cli';
import { testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';
import { writeTinyDataset } from '../helpers/tiny-dataset';
import { ingestGenerated, trainTinyEior } from '../helpers/trained-dataset';
import { buildWeb, launchBrowser, screenshot, startWeb, type RunningWeb, type WebBuild } from '../helpers/web';

const NAME = `web-${process.pid}`;
const UNTRAINED = `web-untrained-${process.pid}`;
const EVENTS = `web-events-${process.pid}`;
const TUNING = 'tweb0000001';

/** The page's number formats, worked out here from the API's numbers. */
const count = (n: number) => n.toLocaleString('en-US');
const fixed4 = (x: number) => x.toFixed(4);
const drift3 = (x: number) => (x !== 0 && Math.abs(x) < 0.001 ? x.toExponential(1) : x.toFixed(3));

/** Blanks the timestamp column of the generated .inter file: the dataset then has no time windows, like TikTok. */
function dropTimestamps(dir: string): void {
  const file = path.join(dir, readdirSync(dir).find((f) => f.endsWith('.inter'))!);
  const lines = readFileSync(file, 'utf8').split('\n');
  const column = lines[0].split('\t').indexOf('timestamp');
  const out = lines.map((line, k) => {
    if (k === 0 || !line) return line;
    const fields = line.split('\t');
    fields[column] = '';
    return fields.join('\t');
  });
  writeFileSync(file, out.join('\n'));
}

interface Explanation {
  invariantWeight: number;
  variantWeight: number;
  summary: string;
  modalities: { modality: string }[];
  becauseYouInteractedWith: { item: { id: string } }[];
}

describe('dashboard (apps/web) in a real browser', () => {
  let client: GraphClient;
  let api: RunningApi | undefined;
  let web: RunningWeb;
  let build: WebBuild;
  let browser: Browser;
  let page: Page;
  let apiUrl: string;
  let version: string;
  const tmp = tempDir('web');
  const home = path.join(tmp.dir, 'home');
  const user = '7';

  async function setUpData(): Promise<void> {
    client = await testGraph();
    await dropDataset(client, UNTRAINED);
    await dropDataset(client, EVENTS);
    await ingestGenerated(client, { name: NAME, dir: tmp.dir, edit: dropTimestamps });
    const tiny = await writeTinyDataset({ users: 12, items: 8, perUser: 4 });
    await ingestDataset(client, { dataset: UNTRAINED, dir: tiny.dir });
    tiny.remove();
    version = await trainTinyEior(NAME, home);
    // a tuning as `eior tune` records it (trials written as they end), for the Models page
    const { fingerprint } = await requireDataset(client, NAME);
    await openTuning(client, { dataset: NAME, id: TUNING, model: 'ultragcn', fingerprint, seed: 1, space: { lr: { kind: 'log', min: 1e-3, max: 1e-2 } }, schedule: { maxEpochs: 3, minEpochs: 1, eta: 3, preset: 'tiktok' }, base: {} });
    for (const [seq, id, epochs, score] of [[0, 's1-c0-e1', 1, 0.0123], [1, 's1-c1-e1', 1, 0.0456], [2, 's1-c1-e3', 3, 0.0789]] as const) {
      await recordTrial(client, NAME, TUNING, { id, seq, bracket: 1, rung: epochs === 3 ? 1 : 0, config: seq === 0 ? 0 : 1, settings: { lr: 0.002 * (seq + 1) }, epochs, status: 'finished', score, bestEpoch: epochs, curve: [{ epoch: epochs, ndcg20: score }], seconds: 1.5, error: null }, 1.5 * (seq + 1));
    }
    await closeTuning(client, NAME, TUNING, { status: 'trials', spentSeconds: 4.5, bestTrial: 's1-c1-e3', bestScore: 0.0789, bestSettings: { lr: 0.006 }, version: null });
  }

  beforeAll(async () => {
    // The build and the data are independent: make them side by side.
    [build] = await Promise.all([buildWeb(), setUpData()]);
    api = await startTestApi(client, home);
    apiUrl = api.url;
    web = await startWeb(apiUrl);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    console.log(`next build: ${build.reused ? 'reused' : `${build.seconds.toFixed(1)} s`}`);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await api?.close();
    if (client) {
      await dropDataset(client, NAME);
      await dropDataset(client, UNTRAINED);
      await dropDataset(client, EVENTS);
      await client.close();
    }
    tmp.remove();
  });

  it('shows on the overview the dataset sizes, the current model with its test recall@20, and its training curve', async () => {
    const res = await gql<{ datasets: { name: string; users: number; items: number; currentModel: { version: string; testMetrics: { name: string; value: number }[] } | null }[] }>(
      apiUrl,
      '{ datasets { name users items currentModel { version testMetrics { name value } } } }',
    );
    const dataset = res.data!.datasets.find((d) => d.name === NAME)!;
    const recall = dataset.currentModel!.testMetrics.find((m) => m.name === 'recall@20')!.value;
    await page.goto(`${web.url}/`);
    const card = page.locator(`[data-testid="dataset-card"][data-dataset="${NAME}"]`);
    await expect(card.getByTestId('dataset-users').textContent()).resolves.toBe(count(dataset.users));
    await expect(card.getByTestId('dataset-items').textContent()).resolves.toBe(count(dataset.items));
    await expect(card.getByTestId('current-model').getAttribute('data-version')).resolves.toBe(version);
    await expect(card.locator('[data-metric="recall@20"]').textContent()).resolves.toContain(fixed4(recall));
    await card.getByTestId('training-curve').locator('svg.recharts-surface path.recharts-line-curve').first().waitFor();
    const untrained = page.locator(`[data-testid="dataset-card"][data-dataset="${UNTRAINED}"]`);
    await expect(untrained.getByTestId('no-model').textContent()).resolves.toContain(`npx eior train --dataset ${UNTRAINED}`);
    await screenshot(page, 'overview');
  });

  it("finds a user by id and shows the API's top 20, each with α_I + α_E = 1, and explains a clicked item with the rating query's numbers", async () => {
    await page.goto(`${web.url}/recommendations`);
    await page.getByTestId('dataset-select').selectOption(NAME);
    await page.getByTestId('user-input').fill(user);
    await Promise.all([page.waitForURL(/user=7/), page.getByTestId('user-submit').click()]);
    const params = new URL(page.url()).searchParams;
    expect([params.get('dataset'), params.get('user')]).toEqual([NAME, user]);

    const res = await gql<{ recommendations: { edges: { node: { rating: number; item: { id: string }; explanation: Explanation } }[] } }>(
      apiUrl,
      `query($d: String!, $u: String!) { recommendations(dataset: $d, userId: $u, first: 20) { edges { node { rating item { id }
        explanation { invariantWeight variantWeight summary modalities { modality } becauseYouInteractedWith(first: 3) { item { id } } } } } } }`,
      { d: NAME, u: user },
    );
    expect(res.errors).toEqual([]);
    const edges = res.data!.recommendations.edges;
    const cards = page.getByTestId('recommendation');
    await expect(cards.count()).resolves.toBe(edges.length);
    expect(edges.length).toBe(20);
    const first = cards.first();
    const top = edges[0].node;
    await expect(first.getAttribute('data-item-id')).resolves.toBe(top.item.id);
    await expect(first.getByTestId('rating').textContent()).resolves.toBe(fixed4(top.rating));
    await expect(first.getByTestId('summary').textContent()).resolves.toBe(top.explanation.summary);
    for (const [k, { node }] of edges.entries()) {
      const alpha = cards.nth(k).getByTestId('alpha');
      const i = Number(await alpha.getAttribute('data-alpha-i'));
      const e = Number(await alpha.getAttribute('data-alpha-e'));
      expect(i).toBeCloseTo(node.explanation.invariantWeight, 9);
      expect(e).toBeCloseTo(node.explanation.variantWeight, 9);
      expect(i + e).toBeCloseTo(1, 6);
    }
    await first.getByTestId('modality-chart').locator('svg.recharts-surface .recharts-bar-rectangle').first().waitFor();
    const because = await first.getByTestId('because').textContent();
    for (const b of top.explanation.becauseYouInteractedWith) expect(because).toContain(`item ${b.item.id}`);

    const third = edges[2].node.item.id;
    await Promise.all([page.waitForURL(new RegExp(`item=${third}`)), cards.nth(2).getByTestId('explain-link').click()]);
    const panel = page.getByTestId('explain-panel');
    await expect(panel.getAttribute('data-item-id')).resolves.toBe(third);
    const rating = await gql<{ rating: { rating: number; explanation: { invariantWeight: number; variantWeight: number; invariantScore: number; variantScore: number } } }>(
      apiUrl,
      'query($d: String!, $u: String!, $i: String!) { rating(dataset: $d, userId: $u, itemId: $i) { rating explanation { invariantWeight variantWeight invariantScore variantScore } } }',
      { d: NAME, u: user, i: third },
    );
    const r = rating.data!.rating;
    await expect(panel.getByTestId('explain-rating').textContent()).resolves.toBe(fixed4(r.rating));
    await expect(panel.getByTestId('formula').textContent()).resolves.toContain(
      `${fixed4(r.explanation.invariantWeight)} × ${fixed4(r.explanation.invariantScore)} + ${fixed4(r.explanation.variantWeight)} × ${fixed4(r.explanation.variantScore)} = ${fixed4(r.rating)}`,
    );
    await panel.getByTestId('branch-parts-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await screenshot(page, 'recommendations');
  });

  it("answers an unknown user with the API's NOT_FOUND message, and a dataset without a model with how to train one", async () => {
    await page.goto(`${web.url}/recommendations?dataset=${NAME}`);
    await page.getByTestId('user-input').fill('no-such-user');
    await Promise.all([page.waitForURL(/user=no-such-user/), page.getByTestId('user-submit').click()]);
    const res = await gql(apiUrl, 'query($d: String!) { user(dataset: $d, userId: "no-such-user") { id } }', { d: NAME });
    expect(res.errors[0].extensions?.code).toBe('NOT_FOUND');
    await expect(page.getByTestId('not-found').textContent()).resolves.toContain(res.errors[0].message);
    await screenshot(page, 'unknown-user');

    await page.goto(`${web.url}/recommendations?dataset=${UNTRAINED}&user=user0`);
    await expect(page.getByTestId('model-not-ready').textContent()).resolves.toContain(`No trained model for dataset ${UNTRAINED}: run npx eior train --dataset ${UNTRAINED}`);
  });

  it("shows each environment's size and the drift report's values with their verdicts, and says why time windows and versions are absent", async () => {
    await driftReady(api!, NAME);
    const res = await gql<{
      environments: { index: number; size: number }[];
      drift: { hasTimestamps: boolean; comparisons: { kind: string; name: string; drifted: boolean; values: { value: number; drifted: boolean }[] }[] };
    }>(apiUrl, 'query($d: String!) { environments(dataset: $d) { index size } drift(dataset: $d) { hasTimestamps comparisons { kind name drifted values { value drifted } } } }', { d: NAME });
    expect(res.errors).toEqual([]);
    const { environments, drift } = res.data!;
    expect(environments.length).toBe(3);
    expect(drift.hasTimestamps).toBe(false);

    await page.goto(`${web.url}/drift?dataset=${NAME}`);
    for (const env of environments) {
      await expect(page.locator(`[data-testid="environment-row"][data-index="${env.index}"] [data-testid="environment-size"]`).textContent()).resolves.toBe(count(env.size));
    }
    await page.getByTestId('environment-charts').locator('svg.recharts-surface').first().waitFor();

    const byEnvironment = drift.comparisons.filter((c) => c.kind === 'ENVIRONMENT');
    expect(byEnvironment.length).toBe(environments.length);
    const section = page.getByTestId('drift-kind-ENVIRONMENT');
    await section.getByTestId('values-toggle').click();
    const rows = section.getByTestId('drift-value');
    await rows.first().waitFor({ state: 'visible' });
    const values = byEnvironment.flatMap((c) => c.values);
    await expect(rows.count()).resolves.toBe(values.length);
    for (const k of [0, values.length - 1]) {
      await expect(rows.nth(k).getByTestId('drift-value-number').textContent()).resolves.toBe(drift3(values[k].value));
      await expect(rows.nth(k).getAttribute('class')).resolves.toBe(values[k].drifted ? 'drifted' : null);
    }
    // The chart of shares of drifted subjects: one bar per environment, red exactly where the API says drifted.
    const shareChart = section.locator('[data-testid="drift-chart"][data-title="share of drifted subjects"]');
    await shareChart.locator('.recharts-bar-rectangle path').first().waitFor();
    const fills = await shareChart.locator('.recharts-bar-rectangle path').evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    expect(fills).toEqual(byEnvironment.map((c) => (c.drifted ? '#dc2626' : '#94a3b8')));

    if (!drift.comparisons.some((c) => c.kind === 'TIME_WINDOW')) {
      await expect(page.getByTestId('drift-empty-TIME_WINDOW').textContent()).resolves.toContain('This dataset has no timestamps: no time windows');
    }
    expect(drift.comparisons.some((c) => c.kind === 'MODEL_VERSION')).toBe(false);
    await expect(page.getByTestId('drift-empty-MODEL_VERSION').textContent()).resolves.toContain(`No previous version to compare ${version} with`);
    await screenshot(page, 'drift');
  });

  it('lists the model version as current and serving, with its test metrics, its explanation health and degenerate split in words, and its config behind a click', async () => {
    interface Health {
      contentShare: number;
      maskColumns: number;
      maskStable: number | null;
      alpha: { mean: number; std: number };
      modalities: { modality: string }[];
      flags: { code: string; message: string }[];
    }
    const res = await gql<{ models: { version: string; current: boolean; serving: boolean; config: Record<string, unknown>; liftOverPopularity: number; liftInterval: { low: number; high: number }; clearsPopularity: boolean; testMetrics: { name: string; value: number }[]; explanationHealth: Health }[] }>(
      apiUrl,
      `query($d: String!) { models(dataset: $d) { version current serving config liftOverPopularity liftInterval { low high } clearsPopularity testMetrics { name value }
        explanationHealth { contentShare maskColumns maskStable alpha { mean std } modalities { modality } flags { code message } } } }`,
      { d: NAME },
    );
    const model = res.data!.models[0];
    expect([model.version, model.current, model.serving]).toEqual([version, true, true]);
    await page.goto(`${web.url}/models?dataset=${NAME}`);
    const card = page.locator(`[data-testid="model-card"][data-version="${version}"]`);
    await expect(card.getAttribute('data-current')).resolves.toBe('true');
    await expect(card.getAttribute('data-serving')).resolves.toBe('true');
    const ndcg = model.testMetrics.find((m) => m.name === 'ndcg@20')!.value;
    await expect(card.locator('[data-testid="model-test-metrics"] [data-metric="ndcg@20"]').textContent()).resolves.toContain(fixed4(ndcg));
    const json = card.getByTestId('config-json');
    expect(await json.isVisible()).toBe(false);
    await card.getByTestId('config-toggle').click();
    await json.waitFor({ state: 'visible' });
    expect(JSON.parse((await json.textContent())!)).toEqual(model.config);
    // the tiny model is below popularity and serves only because the test forced it: the card says so
    expect(model.clearsPopularity).toBe(false);
    await expect(card.getByTestId('model-lift').textContent()).resolves.toContain(`${(100 * model.liftOverPopularity).toFixed(1)} %`);
    // and the lift's interval over the validation users, its ends as the API serves them
    const interval = card.getByTestId('model-lift-interval');
    await expect(interval.textContent()).resolves.toContain(`95 %: −${(100 * Math.abs(model.liftInterval.low)).toFixed(1)} to`);
    await expect(interval.getAttribute('data-holds-zero')).resolves.toBe(String(model.liftInterval.low <= 0 && model.liftInterval.high >= 0));
    await expect(card.getByTestId('below-popularity').textContent()).resolves.toContain('served only because it was forced');
    // its explanation health: the figures the API serves, and the tiny model's degenerate split said in words, with
    // no share bar where content is flagged as noise
    const health = model.explanationHealth;
    const section = card.getByTestId('explanation-health');
    expect(health.flags.length).toBeGreaterThan(0);
    await expect(section.getAttribute('data-degenerate')).resolves.toBe('true');
    const flags = section.getByTestId('health-flag');
    await expect(flags.count()).resolves.toBe(health.flags.length);
    for (const [k, f] of health.flags.entries()) {
      await expect(flags.nth(k).getAttribute('data-code')).resolves.toBe(f.code);
      await expect(flags.nth(k).textContent()).resolves.toBe(f.message);
    }
    const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 ? 3 : 1)} %`;
    await expect(section.getByTestId('health-content-share').textContent()).resolves.toContain(pct(health.contentShare));
    await expect(section.getByTestId('health-alpha').textContent()).resolves.toContain(`${fixed4(health.alpha.mean)} ± ${fixed4(health.alpha.std)}`);
    await expect(section.getByTestId('health-share-bar').count()).resolves.toBe(health.flags.some((f) => f.code === 'CONTENT_TINY') ? 0 : 1);
    await expect(section.locator('[data-testid="health-faithfulness"] tbody tr').count()).resolves.toBe(health.modalities.length);
    expect(health.maskStable).not.toBeNull();
    await expect(section.getByTestId('health-mask-stable').textContent()).resolves.toContain(`${health.maskStable}of ${health.maskColumns} feature columns stand out as stable`);
    // the tuning: its trials in a table (best in bold) and one dot per trial in the plot
    const tuning = page.locator(`[data-testid="tuning-card"][data-tuning="${TUNING}"]`);
    await tuning.getByTestId('trials-toggle').click();
    const rows = tuning.locator('[data-testid="trials-table"] tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.nth(2).locator('td').nth(3).textContent()).resolves.toBe('0.0789');
    await expect(tuning.locator('[data-testid="tuning-chart"] .recharts-scatter-symbol').count()).resolves.toBe(4); // 3 trials + the best again
    await screenshot(page, 'models');
  });

  it('sets an older version\'s top 20 beside the current one\'s after a click', async () => {
    const run = await runCli(['train', '--dataset', NAME, '--model', 'ultragcn-features', '--epochs', '1', '--seed', '2', '--force', '--json'], { ...process.env, EIOR_HOME: home });
    expect(run.code).toBe(0);
    const second = lastJsonLine(run.stdout).version as string;
    const Q = 'query($d: String!, $u: String!, $v: String) { recommendations(dataset: $d, userId: $u, first: 20, modelVersion: $v) { modelVersion edges { node { item { id } } } } }';
    type Top = { recommendations: { modelVersion: string; edges: { node: { item: { id: string } } }[] } };
    const deadline = Date.now() + 30_000; // the API picks up the new current version within its poll interval
    let now = await gql<Top>(apiUrl, Q, { d: NAME, u: user, v: null });
    while (now.data?.recommendations.modelVersion !== second && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      now = await gql<Top>(apiUrl, Q, { d: NAME, u: user, v: null });
    }
    const before = await gqlRetrying<Top>(apiUrl, Q, { d: NAME, u: user, v: version }); // 429 while it loads
    await page.goto(`${web.url}/recommendations?dataset=${NAME}&user=${user}`);
    await page.getByTestId(`compare-${version}`).click();
    await page.getByTestId('version-comparison').waitFor();
    const ids = (side: string) => page.locator(`[data-testid="${side}"] tbody tr td:nth-child(2)`).allTextContents();
    expect(await ids('compare-left')).toEqual(now.data!.recommendations.edges.map((e) => e.node.item.id));
    expect(await ids('compare-right')).toEqual(before.data!.recommendations.edges.map((e) => e.node.item.id));
    const shared = now.data!.recommendations.edges.filter((e) => before.data!.recommendations.edges.some((b) => b.node.item.id === e.node.item.id)).length;
    await expect(page.getByTestId('shared-count').textContent()).resolves.toBe(String(shared));
    await screenshot(page, 'compare-versions');
  });

  it('draws the events per day, and after an append the new days, the higher total and the model version that predates them', async () => {
    const env = { ...process.env, EIOR_HOME: home };
    const day = (d: number, k: number) => Date.UTC(2026, 0, d) / 1000 + 3600 * k;
    // 5 days of 6 events (u0 watches i0 on day 1 and again on day 5: a repeated pair, two events on two days)
    const base = Array.from({ length: 30 }, (_, k) => `u${k % 6},i${(k * 7) % 10},${day(1 + Math.floor(k / 6), k % 6)}`);
    base[29] = `u0,i0,${day(5, 9)}`;
    tmp.write('events-base.csv', `user,item,timestamp\n${base.join('\n')}\n`);
    expect((await runCli(['ingest', '--dataset', EVENTS, '--events', path.join(tmp.dir, 'events-base.csv')], env)).code).toBe(0);
    expect((await runCli(['train', '--dataset', EVENTS, '--model', 'popularity', '--force'], env)).code).toBe(0);
    type Days = { datasets: { name: string; events: number; appends: number; eventsPerDay: { days: { day: string; events: number }[] } }[] };
    const perDay = async () => (await gql<Days>(apiUrl, '{ datasets { name events appends eventsPerDay { days { day events } } } }')).data!.datasets.find((d) => d.name === EVENTS)!;
    const card = page.locator(`[data-testid="dataset-card"][data-dataset="${EVENTS}"]`);
    const chart = card.getByTestId('events-per-day');
    const drawn = async () => {
      await page.goto(`${web.url}/`);
      await chart.locator('.recharts-bar-rectangle').first().waitFor();
      return {
        days: Number(await chart.getAttribute('data-days')),
        total: Number(await chart.getAttribute('data-total')),
        lastDay: await chart.getAttribute('data-last-day'),
        bars: await chart.locator('.recharts-bar-rectangle').count(),
        events: await card.getByTestId('dataset-events').textContent(),
        appends: await card.getByTestId('dataset-appends').textContent(),
      };
    };
    const before = await perDay();
    expect(before.eventsPerDay.days).toEqual([1, 2, 3, 4, 5].map((d) => ({ day: `2026-01-0${d}`, events: 6 })));
    expect(await drawn()).toMatchObject({ days: 5, total: 30, lastDay: '2026-01-05', bars: 5, events: '30', appends: 'no appends since the first ingest' });

    // two new days, one more event on day 5, a new user, and one line already ingested (skipped)
    const more = [`u1,i3,${day(5, 20)}`, `u9,i1,${day(6, 1)}`, `u9,i2,${day(6, 2)}`, `u2,i5,${day(7, 1)}`, base[3]];
    tmp.write('events-more.csv', `user,item,timestamp\n${more.join('\n')}\n`);
    expect((await runCli(['ingest', '--dataset', EVENTS, '--events', path.join(tmp.dir, 'events-more.csv'), '--append'], env)).code).toBe(0);
    const after = await perDay();
    expect(after).toMatchObject({ events: 34, appends: 1 });
    expect(after.eventsPerDay.days.slice(4)).toEqual([{ day: '2026-01-05', events: 7 }, { day: '2026-01-06', events: 2 }, { day: '2026-01-07', events: 1 }]);
    const grown = await drawn();
    expect(grown).toMatchObject({ days: 7, total: 34, lastDay: '2026-01-07', bars: 7, events: '34' });
    expect(grown.appends).toMatch(/^1 append, the last \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await expect(card.getByTestId('current-model-predates').textContent()).resolves.toContain('Trained before 4 newer events (1 append): it serves the users and items it knows');
    await screenshot(page, 'events-per-day');

    // the version trained before the append says what it has not seen, and still serves
    await page.goto(`${web.url}/models?dataset=${EVENTS}`);
    const model = page.locator('[data-testid="model-card"][data-version="v0001"]');
    await expect(model.getByTestId('model-trained-on').getAttribute('data-state')).resolves.toBe('PREDATES_APPENDS');
    await expect(model.getByTestId('model-trained-on').textContent()).resolves.toContain('30 events');
    await expect(model.getByTestId('predates-appends').textContent()).resolves.toMatch(/Predates 4 new events \(1 append since it was trained\): it (still|can still) serves? the users and items it was trained on/);
    await screenshot(page, 'models-predating');
  });

  it('says on every page that the API is not reachable, and how to start it, once the API stops', async () => {
    await api!.close();
    api = undefined;
    for (const route of ['/', `/recommendations?dataset=${NAME}&user=${user}`, `/drift?dataset=${NAME}`, `/models?dataset=${NAME}`]) {
      await page.goto(`${web.url}${route}`);
      const notice = await page.getByTestId('api-unreachable').textContent();
      expect(notice).toContain(`The API at ${apiUrl} is not reachable`);
      expect(notice).toContain('start it with npx eior serve');
    }
    await screenshot(page, 'api-down');
  });
});
