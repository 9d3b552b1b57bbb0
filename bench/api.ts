// API benchmark: `eior serve` in its own process on a trained dataset, loaded over loopback by an open-loop
// generator (requests start on a fixed schedule, latency counted from the scheduled start, so a slow server
// cannot hide queueing), then closed-loop at rising concurrency for the saturation throughput; the serving
// process's memory from /proc. The query is recommendations(first: 20) with full explanations.
// With --bi-load N, BI is on (embedded store, SQL endpoint on a free port) and the open loop runs twice: with the
// SQL endpoint idle and with N BI connections running a heavy aggregate in a loop, alternating in --blocks blocks
// (lib/bi-load.ts); both p99s and their ratio. --bi-priority sets the server's EIOR_BI_PRIORITY (idle, low, normal),
// --bi-yield-ms its EIOR_BI_YIELD_MS (the most a BI statement waits for API requests in flight; 0: no waits).
// Usage: npm run bench:api [-- --dataset tiktok] [--rate 200] [--seconds 20] [--warmup 10] [--workers 1] [--bi-load 8] [--bi-priority idle] [--bi-yield-ms 1000] [--blocks 4]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { GraphClient } from '@eior/graph';
import { biLoadRun, waitForPublished } from './lib/bi-load';
import { neo4jPidOf, projectHome } from './lib/bench-neo4j';
import { pct } from './lib/open-loop';
import { procMemory } from './lib/proc-memory';
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
  const biPriority = flag('--bi-priority', '');
  const biYieldMs = flag('--bi-yield-ms', '');
  const blocks = Number(flag('--blocks', '4'));
  const uri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
  const graph = await GraphClient.connect({ uri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const users = await graph.read(async (tx) => (await tx.run('MATCH (u:User {dataset: $dataset}) RETURN u.id AS id ORDER BY u.idx', { dataset })).records.map((r) => r.get('id') as string));
  await graph.close();
  if (users.length === 0) throw new Error(`dataset '${dataset}' has no users in ${uri}: ingest and train it first (npx eior ingest / train)`);

  const server = spawn(process.execPath, [...(process.env.EIOR_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), CLI, 'serve', '--port', '0', '--workers', workers, '--json'], { env: { ...process.env, EIOR_LOG_LEVEL: 'warn', ...(biLoad > 0 ? { EIOR_BI: 'on', EIOR_BI_SQL_PORT: '0', ...(biPriority ? { EIOR_BI_PRIORITY: biPriority } : {}), ...(biYieldMs ? { EIOR_BI_YIELD_MS: biYieldMs } : {}) } : { EIOR_BI: 'off' }) }, stdio: ['ignore', 'pipe', 'inherit'] });
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
    if (biLoad > 0 && urls.sql) {
      const body = () => JSON.stringify({ query: QUERY, variables: { dataset, user: randomUser() } });
      await biLoadRun({ url, sqlUrl: urls.sql, serverPid: server.pid!, neo4jPid: neo4jPidOf(projectHome()), dataset, body, rate, seconds, blocks, connections: biLoad, workers: Number(workers), biPriority: biPriority || 'idle', biYieldMs: biYieldMs || 'default (1000)' });
      agent.destroy();
      return;
    }
    const open = await openLoop(request, rate, seconds);
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

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
