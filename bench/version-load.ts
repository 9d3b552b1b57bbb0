// How much loading another model version (recommendations(modelVersion: ...), for a comparison) delays cheap
// requests to the served one: `eior serve --workers 1` on a trained dataset with two versions, an open loop of
// recommendations(first: 20) for the served version, and one request for the other version in the middle of it.
// Prints the stream's p50 / p99 / max before the load and while it runs, and the load's own step times from the
// server's log (the synchronous steps each hold the event loop once).
// Usage: npm run bench:version-load -- --dataset generated [--rate 20] [--seconds 12] [--version v0001]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { GraphClient } from '@eior/graph';
import { openLoop } from './lib/open-loop';
import { servedUrls } from './lib/served-urls';

const CLI = path.resolve(__dirname, '..', '..', 'apps', 'cli', 'bin', 'eior.js');

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

const p = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)] : NaN);
const round = (x: number) => Math.round(x * 10) / 10;

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<{ status: number; body: string; retryAfter: number }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.text(), retryAfter: Number(res.headers.get('retry-after') ?? 1) };
}

async function main(): Promise<void> {
  const dataset = flag('--dataset', 'generated');
  const rate = Number(flag('--rate', '20'));
  const seconds = Number(flag('--seconds', '12'));
  const uri = process.env.NEO4J_URI ?? `bolt://127.0.0.1:${process.env.EIOR_NEO4J_PORT ?? '7687'}`;
  const graph = await GraphClient.connect({ uri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const users = await graph.read(async (tx) => (await tx.run('MATCH (u:User {dataset: $dataset}) RETURN u.id AS id ORDER BY u.idx LIMIT 2000', { dataset })).records.map((r) => r.get('id') as string));
  await graph.close();
  if (users.length === 0) throw new Error(`dataset '${dataset}' has no users in ${uri}: ingest and train it first`);

  const server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--workers', '1', '--json'], { env: { ...process.env, EIOR_BI: 'off', EIOR_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stderr!.on('data', (d) => (log += d));
  try {
    const url = (await servedUrls(server)).graphql;
    const versions = JSON.parse((await post(url, 'query($d: String!) { models(dataset: $d) { version serving current } }', { d: dataset })).body).data?.models as { version: string; current: boolean }[];
    const other = flag('--version', versions.find((v) => !v.current)?.version ?? '');
    if (!other) throw new Error(`dataset '${dataset}' has one model version: train another to compare (${JSON.stringify(versions)})`);
    const recsQuery = 'query($d: String!, $u: String!) { recommendations(dataset: $d, userId: $u, first: 20) { edges { node { rank rating explanation { invariantWeight summary } } } } }';
    let k = 0;
    const recs = async () => (await post(url, recsQuery, { d: dataset, u: users[k++ % users.length] })).status;
    for (let i = 0; i < 200; i++) await recs(); // the served model loaded and warm
    await new Promise((r) => setTimeout(r, 3000)); // its background work (first pages, drift) under way or done

    const started = performance.now();
    let loadWindow: [number, number] = [Infinity, Infinity];
    const load = (async () => {
      await new Promise((r) => setTimeout(r, (seconds * 1000) / 4));
      const from = performance.now() - started;
      const q = 'query($d: String!, $u: String!, $v: String!) { recommendations(dataset: $d, userId: $u, first: 20, modelVersion: $v) { modelVersion } }';
      for (let attempt = 0; attempt < 30; attempt++) {
        const answer = await post(url, q, { d: dataset, u: users[0], v: other });
        if (answer.status === 200) break;
        if (answer.status !== 429) throw new Error(`loading ${other}: ${answer.status} ${answer.body}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      loadWindow = [from, performance.now() - started];
    })();
    const stream = await openLoop(rate, Math.round(rate * seconds), async () => ({ status: await recs(), sentAt: performance.now() - started }));
    await load;
    const before = stream.filter((t) => t.result.sentAt < loadWindow[0]).map((t) => t.ms);
    const during = stream.filter((t) => t.result.sentAt >= loadWindow[0] - 50 && t.result.sentAt <= loadWindow[1]).map((t) => t.ms);
    const steps = log.split('\n').filter((l) => l.includes('loaded for comparison')).map((l) => JSON.parse(l) as { loadSeconds: number; loadStepsMs: Record<string, number> });
    const figures = {
      dataset,
      version: other,
      rate,
      loadSeconds: round((loadWindow[1] - loadWindow[0]) / 1000),
      serverLoad: steps[0] ?? null,
      notOk: stream.filter((t) => t.result.status !== 200).length,
      before: { n: before.length, p50: round(p(before, 0.5)), p99: round(p(before, 0.99)), max: round(Math.max(...before)) },
      duringLoad: { n: during.length, p50: round(p(during, 0.5)), p99: round(p(during, 0.99)), max: round(Math.max(...during)) },
    };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    server.kill('SIGINT');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
