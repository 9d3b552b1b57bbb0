// The BI half of bench/api.ts (--bi-load N): waits until the served dataset's BI tables are published, then measures
// recommendations latency with the SQL endpoint idle and beside N BI connections that each run a heavy aggregate in
// a loop. The two conditions alternate in short blocks (idle, loaded, idle, loaded, ...), so that the machine's other
// work, which comes and goes over a minute, falls on both alike; before an idle block the BI loops stop and their last
// aggregate is awaited. The requests come from a process of their own (recs-probe.ts), so the BI clients' work in this
// process is not counted as the server's latency; cpu-share.ts says who used the CPU in each condition.
import http from 'node:http';
import os from 'node:os';
import { Client } from 'pg';
import { cpuShare, type CpuShare } from './cpu-share';
import type { FuzzOutcome } from './fuzz-check';
import type { FuzzRequest } from './fuzz-requests';
import { pct } from './open-loop';
import { startProbe } from './recs-probe';

/**
 * A heavy BI aggregate: every published recommendation of the dataset joined to its modality rows, 20 times over,
 * grouped by item (all of PGlite's time for each query).
 */
const BI_AGGREGATE = `SELECT r.item_id, count(*) AS n, avg(r.rating) AS rating, sum(m.invariant_contribution * g) AS inv
  FROM eior.recommendations r JOIN eior.recommendation_modalities m USING (dataset, model_version, user_id, item_id)
  CROSS JOIN generate_series(1, 20) AS g WHERE r.dataset = $1 GROUP BY r.item_id ORDER BY n DESC, inv DESC LIMIT 50`;

const BI_TABLE_NAMES = ['recommendations', 'recommendation_modalities', 'environments', 'drift_metrics', 'model_versions', 'interactions_per_day'];

export interface BiLoadRun {
  /** The GraphQL endpoint. */
  url: URL;
  sqlUrl: string;
  serverPid: number;
  neo4jPid: number | null;
  dataset: string;
  /** A request body (a GraphQL query of one user) each call. */
  body: () => string;
  rate: number;
  /** Seconds of each condition in all, split into `blocks` blocks each. */
  seconds: number;
  blocks: number;
  connections: number;
  /** What the server was started with, for the report. */
  workers: number;
  biPriority: string;
  /** The server's EIOR_BI_YIELD_MS, for the report. */
  biYieldMs: string;
}

/**
 * Waits until the publisher has written the dataset's BI tables (rows in recommendation_modalities, and every
 * table's count unchanged over 3 s), so that publishing does not fall into either measured condition.
 */
export async function waitForPublished(sqlUrl: string, dataset: string): Promise<void> {
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

/** N connections that run BI_AGGREGATE in a loop between start() and stop(); stop() waits for the aggregates running. */
async function biClients(sqlUrl: string, dataset: string, connections: number) {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const c = new Client({ connectionString: sqlUrl });
    await c.connect();
    return c;
  }));
  let running = false;
  let loops: Promise<void>[] = [];
  const counts = { queries: 0, errors: 0 };
  return {
    counts,
    start() {
      running = true;
      loops = clients.map(async (c) => {
        while (running) await c.query(BI_AGGREGATE, [dataset]).then(() => counts.queries++, () => counts.errors++);
      });
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
    end: () => Promise.all(clients.map((c) => c.end())),
  };
}

/**
 * The BI thread's waits for API requests (EIOR_BI_YIELD_MS), from /metrics: each scrape on a new connection, so that
 * with --workers N one of them reaches the worker that holds the BI thread (the one with the most waits).
 */
async function biYieldFigures(origin: string): Promise<{ waits: number; capped: number; waitedSeconds: number }> {
  const scrape = () =>
    new Promise<string>((resolve) => {
      http.get(`${origin}/metrics`, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
      }).on('error', () => resolve(''));
    });
  const read = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  let best = { waits: 0, capped: 0, waitedSeconds: 0 };
  for (let k = 0; k < 8; k++) {
    const text = await scrape();
    const figures = { waits: read(text, 'eior_api_bi_statement_waits'), capped: read(text, 'eior_api_bi_statement_waits_capped'), waitedSeconds: read(text, 'eior_api_bi_statement_wait_seconds') };
    if (figures.waits > best.waits) best = figures;
  }
  return best;
}

/** Adds up CPU shares measured over several blocks, weighted by their seconds. */
function addShares(shares: CpuShare[]): CpuShare['coresUsed'] & { seconds: number } {
  const seconds = shares.reduce((s, c) => s + c.seconds, 0);
  const mean = (key: keyof CpuShare['coresUsed']) => Math.round((shares.reduce((s, c) => s + c.coresUsed[key] * c.seconds, 0) / seconds) * 100) / 100;
  return { seconds: Math.round(seconds), generator: mean('generator'), server: mean('server'), serverPrimary: mean('serverPrimary'), lowPriorityThreads: mean('lowPriorityThreads'), neo4j: mean('neo4j'), rest: mean('rest') };
}

/** Runs the alternating blocks and prints both conditions' latency, their p99 ratio and the CPU shares. */
export async function biLoadRun(run: BiLoadRun): Promise<void> {
  const { rate, seconds, blocks } = run;
  const perBlock = Math.round((rate * seconds) / blocks);
  const job = () => ({
    base: run.url.origin,
    rate,
    timeoutMs: 60_000,
    ownDirs: [],
    requests: Array.from({ length: perBlock }, (): FuzzRequest => ({ label: 'recommendations(first: 20), full explanation', kind: 'recommendations-20', method: 'POST', path: run.url.pathname, headers: { 'content-type': 'application/json' }, body: run.body() })),
  });
  const probe = await startProbe();
  const bi = await biClients(run.sqlUrl, run.dataset, run.connections);
  const idle = { outcomes: [] as FuzzOutcome[], cpu: [] as CpuShare[], loopP99: [] as number[] };
  const loaded = { outcomes: [] as FuzzOutcome[], cpu: [] as CpuShare[], loopP99: [] as number[] };
  try {
    for (let b = 0; b < 2 * blocks; b++) {
      const side = b % 2 === 0 ? idle : loaded;
      if (side === loaded) bi.start();
      const share = cpuShare(run.serverPid, run.neo4jPid);
      const result = await probe.run(job());
      side.cpu.push(share.stop());
      if (side === loaded) await bi.stop(); // the last aggregates end before the next idle block
      side.outcomes.push(...result.outcomes);
      side.loopP99.push(result.loopDelayMs.p99);
    }
  } finally {
    probe.stop();
    await bi.stop();
    await bi.end();
  }
  const waits = await biYieldFigures(run.url.origin);
  const ms = (o: FuzzOutcome[]) => o.map((x) => x.ms);
  const failed = (o: FuzzOutcome[]) => o.filter((x) => x.status !== 200 || x.codes.length > 0 || x.timedOut).length;
  const p99 = pct(ms(idle.outcomes), 99);
  const p99Loaded = pct(ms(loaded.outcomes), 99);
  const [idleCpu, loadedCpu] = [addShares(idle.cpu), addShares(loaded.cpu)];
  const cores = (c: ReturnType<typeof addShares>) => `generator ${c.generator}, server ${c.server} (BI thread ${c.lowPriorityThreads}), neo4j ${c.neo4j}, rest of the machine ${c.rest}`;
  const row = (name: string, side: typeof idle) =>
    `| ${name} | ${side.outcomes.length} | ${failed(side.outcomes)} | ${pct(ms(side.outcomes), 50).toFixed(1)} | ${pct(ms(side.outcomes), 99).toFixed(1)} | ${Math.max(...side.loopP99).toFixed(1)} |`;
  console.log(`\n| open loop ${rate} req/s, ${blocks} blocks of ${seconds / blocks} s each, alternating (from the probe process) | requests | errors | p50 ms | p99 ms | probe's loop delay p99 ms (worst block) |`);
  console.log(`|---|---|---|---|---|---|`);
  console.log(row('BI SQL idle', idle));
  console.log(row(`${run.connections} BI connections, heavy aggregate in a loop`, loaded));
  console.log(`\np99 with BI load / without: ${(p99Loaded / p99).toFixed(2)}; BI aggregates answered: ${bi.counts.queries} (${bi.counts.errors} errors), ${(bi.counts.queries / loadedCpu.seconds).toFixed(2)}/s; BI thread priority ${run.biPriority}, BI waits for API requests at most ${run.biYieldMs} ms a statement`);
  console.log(`BI statements that waited for API requests since the server started: ${waits.waits} (${waits.capped} ended by the cap), ${waits.waitedSeconds.toFixed(1)} s in all`);
  console.log(`cores used, idle blocks: ${cores(idleCpu)}\ncores used, BI blocks: ${cores(loadedCpu)}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(JSON.stringify({ dataset: run.dataset, workers: run.workers, rate, seconds, blocks, biConnections: run.connections, biPriority: run.biPriority, biYieldMs: run.biYieldMs, p50Idle: pct(ms(idle.outcomes), 50), p99Idle: p99, p50BiLoad: pct(ms(loaded.outcomes), 50), p99BiLoad: p99Loaded, ratio: p99Loaded / p99, biQueries: bi.counts.queries, biWaits: waits, biErrors: bi.counts.errors, cpuIdle: idleCpu, cpuBiLoad: loadedCpu }));
}
