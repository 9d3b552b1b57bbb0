// API benchmark: `eior serve` in its own process on a trained dataset, loaded over loopback by an open-loop
// generator (requests start on a fixed schedule, latency counted from the scheduled start, so a slow server
// cannot hide queueing), then closed-loop at rising concurrency for the saturation throughput; the serving
// process's memory from /proc. The query is recommendations(first: 20) with full explanations.
// With --bi-load N, BI is on (embedded store, SQL endpoint on a free port) and the open loop runs twice: with the
// SQL endpoint idle, then with N BI connections running a heavy aggregate in a loop; both p99s and their ratio.
// Usage: npm run bench:api [-- --dataset tiktok] [--rate 200] [--seconds 20] [--warmup 10] [--workers 1] [--bi-load 8]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { GraphClient } from '@eior/graph';
import { Client } from 'pg';
import { servedUrls } from './lib/served-urls';

const CLI = path.resolve(__dirname, '..', '..', 'apps', 'cli', 'bin', 'eior.js');

const QUERY = `query Recs($dataset: String!, $user: String!) {
  recommendations(dataset: $dataset, userId: $user, first: 20) {
    totalCount modelVersion pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id rank rating modelVersion
      item { id interactions { train valid test feedback } features { modality width norm mean min max } }
      explanation {
        invariantWeight variantWeight invariantScore variantScore environment summary
        modalities { modality invariantContribution variantContribution }
        branches { branch weight score idContribution biasContribution }
        becauseYouInteractedWith { similarity kind item { id features { modality norm } } }
      }
    } }
  }
}`;

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

async function main(): Promise<void> {
  const dataset = flag('--dataset', 'tiktok');
  const rate = Number(flag('--rate', '200'));
  const seconds = Number(flag('--seconds', '20'));
  const warmup = Number(flag('--warmup', '10'));
  const workers = flag('--workers', '1');
  const biLoad = Number(flag('--bi-load', '0'));
  const uri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
  const graph = await GraphClient.connect({ uri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const users = await graph.read(async (tx) => (await tx.run('MATCH (u:User {dataset: $dataset}) RETURN u.id AS id ORDER BY u.idx', { dataset })).records.map((r) => r.get('id') as string));
  await graph.close();
  if (users.length === 0) throw new Error(`dataset '${dataset}' has no users in ${uri}: ingest and train it first (npx eior ingest / train)`);

  const server = spawn(process.execPath, [...(process.env.EIOR_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), CLI, 'serve', '--port', '0', '--workers', workers, '--json'], { env: { ...process.env, EIOR_LOG_LEVEL: 'warn', ...(biLoad > 0 ? { EIOR_BI: 'on', EIOR_BI_SQL_PORT: '0' } : { EIOR_BI: 'off' }) }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const urls = await servedUrls(server);
    const url = new URL(urls.graphql);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    let seed = 12345;
    const randomUser = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return users[seed % users.length];
    };
    const request = (): Promise<boolean> => post(url, agent, JSON.stringify({ query: QUERY, variables: { dataset, user: randomUser() } }));
    const started = performance.now();
    if (!(await request())) throw new Error('the first request failed: is the dataset trained (npx eior train)?');
    const loadSeconds = (performance.now() - started) / 1000;
    if (biLoad > 0) {
      if (!urls.sql) throw new Error('eior serve printed no BI SQL URL: is BI on (EIOR_BI) with a SQL port?');
      await waitForPublished(urls.sql, dataset);
    }
    // warm-up: the JIT, the per-user ranking cache and the item cache fill as in a process that has been serving
    await openLoop(request, rate / 2, warmup);
    const open = await openLoop(request, rate, seconds);
    if (biLoad > 0 && urls.sql) {
      const bi = await withBiLoad(urls.sql, dataset, biLoad, () => openLoop(request, rate, seconds));
      const p99 = pct(open.samples, 99);
      const loaded = pct(bi.result.samples, 99);
      console.log(`\n| open loop ${rate} req/s, ${seconds} s | requests | errors | p50 ms | p99 ms |`);
      console.log(`|---|---|---|---|---|`);
      console.log(`| BI SQL idle | ${open.samples.length} | ${open.errors} | ${pct(open.samples, 50).toFixed(1)} | ${p99.toFixed(1)} |`);
      console.log(`| ${biLoad} BI connections, heavy aggregate in a loop | ${bi.result.samples.length} | ${bi.result.errors} | ${pct(bi.result.samples, 50).toFixed(1)} | ${loaded.toFixed(1)} |`);
      console.log(`\np99 with BI load / without: ${(loaded / p99).toFixed(2)}; BI aggregates answered: ${bi.queries} (${bi.errors} errors), ${(bi.queries / seconds).toFixed(2)}/s`);
      console.log(JSON.stringify({ dataset, workers: Number(workers), rate, seconds, biConnections: biLoad, p99Idle: p99, p99BiLoad: loaded, ratio: loaded / p99, biQueries: bi.queries, biErrors: bi.errors }));
      agent.destroy();
      return;
    }
    const closed: { concurrency: number; rps: number; p50: number; p99: number; errors: number }[] = [];
    for (const concurrency of [1, 4, 16, 64]) closed.push({ concurrency, ...(await closedLoop(request, concurrency, Math.max(5, seconds / 2))) });
    const memory = processTreeMemory(server.pid!);
    const best = closed.reduce((a, b) => (b.rps > a.rps ? b : a));
    const figures = {
      dataset,
      workers: Number(workers),
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      firstRequestSeconds: loadSeconds,
      openLoop: { rate, seconds, warmupSeconds: warmup, requests: open.samples.length, errors: open.errors, p50: pct(open.samples, 50), p90: pct(open.samples, 90), p99: pct(open.samples, 99), max: pct(open.samples, 100) },
      closedLoop: closed,
      saturationRps: best.rps,
      memory,
    };
    console.log(`\n| load | requests | errors | p50 ms | p99 ms | throughput |`);
    console.log(`|---|---|---|---|---|---|`);
    console.log(`| open loop ${rate} req/s, ${seconds} s | ${open.samples.length} | ${open.errors} | ${figures.openLoop.p50.toFixed(1)} | ${figures.openLoop.p99.toFixed(1)} | ${(open.samples.length / seconds).toFixed(0)} req/s |`);
    for (const c of closed) console.log(`| closed loop, ${c.concurrency} in flight | | ${c.errors} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} | ${c.rps.toFixed(0)} req/s |`);
    console.log(`\nserving process${Number(workers) > 1 ? `es (primary + ${workers} workers)` : ''}: RSS ${memory.rssMb} MB, peak ${memory.peakMb} MB; first request (model load) ${loadSeconds.toFixed(1)} s`);
    console.log(JSON.stringify(figures));
    agent.destroy();
  } finally {
    server.kill('SIGINT');
  }
}

/**
 * A heavy BI aggregate: every published recommendation of the dataset joined to its modality rows, 20 times over,
 * grouped by item (all of PGlite's time for each query).
 */
const BI_AGGREGATE = `SELECT r.item_id, count(*) AS n, avg(r.rating) AS rating, sum(m.invariant_contribution * g) AS inv
  FROM eior.recommendations r JOIN eior.recommendation_modalities m USING (dataset, model_version, user_id, item_id)
  CROSS JOIN generate_series(1, 20) AS g WHERE r.dataset = $1 GROUP BY r.item_id ORDER BY n DESC, inv DESC LIMIT 50`;

const BI_TABLE_NAMES = ['recommendations', 'recommendation_modalities', 'environments', 'drift_metrics', 'model_versions', 'interactions_per_day'];

/**
 * Waits until the publisher has written the dataset's BI tables (rows in recommendation_modalities, and every
 * table's count unchanged over 3 s), so that publishing does not fall into either measured loop.
 */
async function waitForPublished(sqlUrl: string, dataset: string): Promise<void> {
  const client = new Client({ connectionString: sqlUrl });
  await client.connect();
  try {
    const counts = async () => {
      const parts = BI_TABLE_NAMES.map((t) => `(SELECT count(*) FROM eior.${t} WHERE dataset = $1)::int AS ${t}`);
      return (await client.query(`SELECT ${parts.join(', ')}`, [dataset])).rows[0] as Record<string, number>;
    };
    const deadline = Date.now() + 300_000;
    let last = '';
    for (;;) {
      const now = await counts();
      const key = JSON.stringify(now);
      if (now.recommendation_modalities > 0 && key === last) return;
      if (Date.now() > deadline) throw new Error(`the BI tables of '${dataset}' were not published within 5 minutes: has the model loaded? (${key})`);
      last = key;
      await new Promise((r) => setTimeout(r, 3000));
    }
  } finally {
    await client.end();
  }
}

/** Runs `during` while `connections` BI clients each run BI_AGGREGATE in a loop. */
async function withBiLoad<T>(sqlUrl: string, dataset: string, connections: number, during: () => Promise<T>): Promise<{ result: T; queries: number; errors: number }> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const c = new Client({ connectionString: sqlUrl });
    await c.connect();
    return c;
  }));
  let running = true;
  let queries = 0;
  let errors = 0;
  const loops = clients.map(async (c) => {
    while (running) {
      await c.query(BI_AGGREGATE, [dataset]).then(() => queries++, () => errors++);
    }
  });
  try {
    const result = await during();
    return { result, queries, errors };
  } finally {
    running = false;
    await Promise.all(loops);
    await Promise.all(clients.map((c) => c.end()));
  }
}

function post(url: URL, agent: http.Agent, body: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(res.statusCode === 200 && !text.includes('"errors"')));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/** Requests started every 1/rate s; latency from each request's scheduled start. */
async function openLoop(request: () => Promise<boolean>, rate: number, seconds: number): Promise<{ samples: number[]; errors: number }> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const samples: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const due = start + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(request().then((ok) => {
      samples.push(performance.now() - due);
      if (!ok) errors++;
    }));
  }
  await Promise.all(inFlight);
  return { samples, errors };
}

async function closedLoop(request: () => Promise<boolean>, concurrency: number, seconds: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const end = performance.now() + seconds * 1000;
  const samples: number[] = [];
  let errors = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      if (!(await request())) errors++;
      samples.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { rps: samples.length / ((performance.now() - t0) / 1000), p50: pct(samples, 50), p99: pct(samples, 99), errors };
}

function pct(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** RSS and peak RSS of a process and its children (the workers of `serve --workers N`), summed. */
function processTreeMemory(pid: number): { rssMb: number; peakMb: number } {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    children = [];
  }
  return [pid, ...children].map(procMemory).reduce((a, b) => ({ rssMb: a.rssMb + b.rssMb, peakMb: a.peakMb + b.peakMb }));
}

function procMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(/(\d+)\s*kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS:') / 1024), peakMb: Math.round(kb('VmHWM:') / 1024) };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
