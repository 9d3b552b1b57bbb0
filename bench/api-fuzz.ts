// Hostile and heavy traffic against `eior serve --workers N` on trained datasets: first the p99 of
// recommendations(first: 20) on the idle server (once its start-up work is over: under 0.05 cores for 2 s), then a seeded mix of requests built from the schema (boundary and
// hostile arguments, unauthenticated mutations, malformed bodies, batches, deep documents, drift, comparisons with
// other versions) sent C at a time. Prints the counts of statuses and codes, bodies that leak internal detail,
// timeouts, the p99 of requests other than drift, and recommendations(first: 20)'s p99 under the mix against idle,
// with how long the project's Neo4j had run and worked when the mix began (its JIT compiler warms up over many runs).
// With --rate R the mix is an open loop instead (bench/lib/open-loop): R requests a second on a fixed schedule,
// latency from the scheduled send, and recommendations(first: 20) is its own open-loop stream of --recs-rate a
// second, measured alone on the idle server and then beside the mix for the same time, so the two p99s differ
// only by the mix (a closed loop of C in flight measures how busy the machine is instead). In both, a probe process
// (bench/lib/recs-probe.ts) sends recommendations(first: 20) at --recs-rate a second from an event loop that does
// nothing else, idle and beside the mix: the closed loop's own recommendations are read by the generator, whose
// event loop is busy with the mix.
// Usage: npm run bench:api-fuzz -- --dataset generated [--requests 10000] [--concurrency 8] [--workers 2] [--seed 1]
//        [--rate 50] [--recs-rate 10] [--without-model NAME] [--own-session] (a dataset in the graph without a model: its
//        MODEL_NOT_READY answers are allowed); EIOR_API_PRIORITY_WORKER=off serves without the front and its
//        priority worker (node:cluster hands connections to the workers)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { GraphClient } from '@eior/graph';
import { leakFinder, sendFuzz, violation, type FuzzOutcome } from './lib/fuzz-check';
import { FuzzRequests } from './lib/fuzz-requests';
import { neo4jPidOf, projectHome } from './lib/bench-neo4j';
import { processAge } from './lib/proc-cpu';
import { cpuShare, waitForQuietServer, type CpuShare } from './lib/cpu-share';
import { openLoop, type Timed } from './lib/open-loop';
import { startProbe, type ProbeResult } from './lib/recs-probe';
import { servedUrls } from './lib/served-urls';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'apps', 'cli', 'bin', 'eior.js');
const TIMEOUT_MS = 10_000;

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

function p(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const dataset = flag('--dataset', 'generated');
  const total = Number(flag('--requests', '10000'));
  const concurrency = Number(flag('--concurrency', '8'));
  const workers = flag('--workers', '2');
  const seed = Number(flag('--seed', '1'));
  const withoutModel = process.argv.includes('--without-model') ? flag('--without-model', '') : undefined;
  const rate = process.argv.includes('--rate') ? Number(flag('--rate', '0')) : null;
  const recsRate = Number(flag('--recs-rate', '10'));
  if ((rate !== null && !(rate > 0)) || !(recsRate > 0)) throw new Error(`--rate and --recs-rate must be positive request rates per second, got ${rate} and ${recsRate}`);
  const home = projectHome();
  const uri = process.env.NEO4J_URI ?? `bolt://127.0.0.1:${process.env.EIOR_NEO4J_PORT ?? '7687'}`;
  const graph = await GraphClient.connect({ uri, user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' });
  const ids = async (label: string) => graph.read(async (tx) => (await tx.run(`MATCH (n:${label} {dataset: $dataset}) RETURN n.id AS id ORDER BY n.idx LIMIT 2000`, { dataset })).records.map((r) => r.get('id') as string));
  const users = await ids('User');
  const items = await ids('Item');
  await graph.close();
  if (users.length === 0) throw new Error(`dataset '${dataset}' has no users in ${uri}: ingest and train it first (npx eior start --no-serve)`);
  const versionsDir = path.join(home, 'models', dataset, 'versions');
  const versions = existsSync(versionsDir) ? readdirSync(versionsDir).filter((v) => /^v\d{4}$/.test(v)) : [];
  if (versions.length === 0) throw new Error(`no model versions in ${versionsDir}: train one first`);

  // EIOR_BENCH_NODE_FLAGS: node flags for the server (its workers inherit them), e.g. --cpu-prof --cpu-prof-dir=DIR
  const nodeFlags = (process.env.EIOR_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  // --own-session: the server in a session of its own (setsid), as a service runs apart from its clients: Linux's
  // autogroups then share the CPU between the clients (this process and the probe), the server and Neo4j as groups,
  // and the server's nice values and SCHED_IDLE act only among its own processes (docs/benchmarks/api-hostile.md)
  const server = spawn(process.execPath, [...nodeFlags, CLI, 'serve', '--port', '0', '--workers', workers, '--json'], {
    env: { ...process.env, EIOR_HOME: home, EIOR_BI: 'off', EIOR_LOG_LEVEL: process.env.EIOR_LOG_LEVEL ?? 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: process.argv.includes('--own-session'),
  });
  let exited: number | null = null;
  server.on('exit', (code) => (exited = code ?? -1));
  try {
    const base = new URL((await servedUrls(server)).graphql);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const leakOf = leakFinder([home, ROOT]);
    const sdl = readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8');
    const fuzz = new FuzzRequests(sdl, { datasets: [dataset], withoutModel, users, items, versions }, seed);
    // the probe's requests come from a generator of their own, so the mix is the same with or without it
    const probeFuzz = new FuzzRequests(sdl, { datasets: [dataset], withoutModel, users, items, versions }, seed + 1);
    // the recommendations stream is another client of the server, on connections of its own: on the mix's it would
    // wait in this process for one of the 64 sockets whenever the mix's slow requests hold them all
    const recsAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const recs = () => sendFuzz(base, recsAgent, fuzz.recommendations20(), TIMEOUT_MS, leakOf);

    // idle: the served version's recommendations(first: 20), one at a time, after a warm-up that loads the model
    // in every worker and lets the drift report of the loaded version finish
    for (let k = 0; k < 100; k++) await recs();
    const driftQuery = JSON.stringify({ query: 'query($d: String!) { drift(dataset: $d) { state } }', variables: { d: dataset } });
    const driftReady = async () => (await sendFuzz(base, agent, { label: 'drift state', kind: 'drift', method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: driftQuery }, TIMEOUT_MS, leakOf)).body.includes('"READY"');
    for (let ready = 0, deadline = Date.now() + 180_000; ready < 8 && Date.now() < deadline; ) ready = (await driftReady()) ? ready + 1 : (await new Promise((r) => setTimeout(r, 1_000)), 0);
    // and until the server's start-up work is over for every dataset it serves, so that the idle phase is idle
    const settled = await waitForQuietServer(server.pid!);
    console.error(`server ${settled.quiet ? 'quiet' : 'still busy'} after ${settled.seconds.toFixed(1)} s (under 0.05 cores for 2 s)`);
    // open loop: the recommendations stream alone for as long as the mix will run, at the same rate
    // (closed loop: the probe's 400 idle requests at that rate, and beside the mix until it ends, at most 10 minutes)
    const mixSeconds = rate === null ? 0 : total / rate;
    const recsCount = rate === null ? 400 : Math.round(recsRate * mixSeconds);
    const scheduled = (timed: Timed<FuzzOutcome>[]) => timed.map((t) => ({ ...t.result, ms: t.ms }));
    const neo4jPid = neo4jPidOf(home);
    const idleShare = cpuShare(server.pid!, neo4jPid);
    const probe = await startProbe();
    const probeJob = (count: number) => ({ base: base.href, rate: recsRate, requests: Array.from({ length: count }, () => probeFuzz.recommendations20()), ownDirs: [home, ROOT], timeoutMs: TIMEOUT_MS });
    // closed loop: the generator's 400 one at a time first, then the probe's alone
    const [idleTimed, idleProbe] = rate === null ? [[], null] : await Promise.all([openLoop(recsRate, recsCount, recs), probe.run(probeJob(recsCount))]);
    const idleOutcomes = scheduled(idleTimed);
    if (rate === null) for (let k = 0; k < 400; k++) idleOutcomes.push(await recs());
    const closedIdleProbe = rate === null ? await probe.run(probeJob(recsCount)) : null;
    const idle: number[] = idleOutcomes.map((o) => o.ms);
    const idleCpu = idleShare.stop();

    // the closed loop's requests are built before it starts (the same order as built one by one), so the generator
    // builds no bodies (some of a megabyte) while it measures
    const requests = rate === null ? Array.from({ length: total }, () => fuzz.next()) : [];
    const outcomes: FuzzOutcome[] = [];
    /** When each of `outcomes` was sent, ms after the mix started (closed loop). */
    const sentAt: number[] = [];
    let recsUnderMix: FuzzOutcome[] | null = null;
    let mixProbe: ProbeResult | null = null;
    let lag: number[] = [];
    let next = 0;
    const started = performance.now();
    // /health once a second on a connection of its own: the server is dead when one goes unanswered for 10 s
    let alive = true;
    const health = setInterval(() => {
      http.get(new URL('/health', base), { agent: false, timeout: TIMEOUT_MS }, (res) => ((alive &&= res.statusCode === 200), res.resume())).on('error', () => (alive = false)).on('timeout', () => (alive = false));
    }, 1_000);
    // how long Neo4j had run and worked when the mix began: its first runs after a start meet a JIT compiler still at work
    const neo4jAtMix = neo4jPid === null ? null : processAge(neo4jPid);
    const mixShare = cpuShare(server.pid!, neo4jPid);
    if (rate !== null) {
      requests.push(...Array.from({ length: total }, () => fuzz.next()));
      const [mixed, alongside, probed] = await Promise.all([
        openLoop(rate, total, (k) => sendFuzz(base, agent, requests[k], TIMEOUT_MS, leakOf)),
        openLoop(recsRate, recsCount, recs),
        probe.run(probeJob(recsCount)),
      ]);
      mixProbe = probed;
      outcomes.push(...scheduled(mixed));
      recsUnderMix = scheduled(alongside);
      lag = [...idleTimed, ...mixed, ...alongside].map((t) => t.lagMs);
    } else {
      const probed = probe.run(probeJob(Math.ceil(recsRate * 600)));
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            const request = requests[next++];
            const at = performance.now() - started;
            outcomes.push(await sendFuzz(base, agent, request, TIMEOUT_MS, leakOf));
            sentAt.push(at);
          }
        }),
      );
      probe.end();
      mixProbe = await probed;
    }
    clearInterval(health);
    const mixCpu = mixShare.stop();
    const seconds = (performance.now() - started) / 1000;
    const finalHealth = await fetch(new URL('/health', base)).then((r) => r.status).catch(() => 0);
    agent.destroy();
    recsAgent.destroy();
    probe.stop();
    const openLoopRun = rate === null || recsUnderMix === null ? undefined : { rate, recsRate, recsIdle: idleOutcomes, recsUnderMix, lag, cpu: { idle: idleCpu, mix: mixCpu }, probe: { idle: idleProbe!, mix: mixProbe! } };
    const closedLoop = rate === null ? { recsIdle: idleOutcomes, sentAt, cpu: { idle: idleCpu, mix: mixCpu }, recsRate, probe: { idle: closedIdleProbe!, mix: mixProbe! } } : undefined;
    report(outcomes, idle, seconds, { alive: alive && exited === null && finalHealth === 200, workers, concurrency, dataset, withoutModel, versions, settled, neo4jAtMix, openLoop: openLoopRun, closedLoop });
  } finally {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
  }
}

interface OpenLoopRun {
  rate: number;
  recsRate: number;
  /** The recommendations(first: 20) stream sent beside the mix. */
  recsUnderMix: FuzzOutcome[];
  /** The recommendations(first: 20) stream on the idle server. */
  recsIdle: FuzzOutcome[];
  /** Send lag of every request of both phases, ms. */
  lag: number[];
  /** Who used the CPU in each phase, and the generator's own event-loop delay. */
  cpu: { idle: CpuShare; mix: CpuShare };
  /** The same stream from a process of its own (bench/lib/recs-probe.ts), at the same time as the stream above. */
  probe: { idle: ProbeResult; mix: ProbeResult };
}

/**
 * The probe's figures: p50 / p99 idle and under the mix (from the scheduled send), their ratio, the same from the
 * actual send (`fromSend`: without the probe's own lateness in sending), where the time went, its own event-loop delay.
 */
function probeFigures(probe: { idle: ProbeResult; mix: ProbeResult }) {
  const ok = (r: ProbeResult) => r.outcomes.filter((o) => o.status === 200).map((o) => o.ms);
  const [idle, mix] = [ok(probe.idle), ok(probe.mix)];
  const sent = (r: ProbeResult) => r.outcomes.filter((o) => o.status === 200).map((o) => o.ms - o.lagMs);
  const [idleSent, mixSent] = [sent(probe.idle), sent(probe.mix)];
  const tenths = Array.from({ length: 10 }, (_, k) => round(p(mix.slice((k * mix.length) / 10, ((k + 1) * mix.length) / 10), 0.99)));
  return {
    p50: { idle: round(p(idle, 0.5)), underMix: round(p(mix, 0.5)) },
    p99: { idle: round(p(idle, 0.99)), underMix: round(p(mix, 0.99)) },
    mixOverIdle: round(p(mix, 0.99) / p(idle, 0.99)),
    fromSend: { p99: { idle: round(p(idleSent, 0.99)), underMix: round(p(mixSent, 0.99)) }, mixOverIdle: round(p(mixSent, 0.99) / p(idleSent, 0.99)) },
    sendLagMs: { idle: round(p(probe.idle.outcomes.map((o) => o.lagMs), 0.99)), underMix: round(p(probe.mix.outcomes.map((o) => o.lagMs), 0.99)) },
    mixP99ByTenth: tenths,
    notOk: probe.idle.outcomes.concat(probe.mix.outcomes).filter((o) => o.status !== 200 || o.leak).length,
    ms: { idle: breakdown(probe.idle.outcomes), underMix: breakdown(probe.mix.outcomes) },
    loopDelayMs: { idle: { p99: round(probe.idle.loopDelayMs.p99), max: round(probe.idle.loopDelayMs.max) }, underMix: { p99: round(probe.mix.loopDelayMs.p99), max: round(probe.mix.loopDelayMs.max) } },
  };
}

/** The probe's p99 idle and under the mix and their ratio, for the summary. */
function probeHeadline(probe: { idle: ProbeResult; mix: ProbeResult } | undefined) {
  if (!probe) return {};
  const { p99, mixOverIdle, fromSend } = probeFigures(probe);
  return { probeIdleP99: p99.idle, probeMixP99: p99.underMix, probeMixOverIdle: mixOverIdle, probeFromSendMixOverIdle: fromSend.mixOverIdle };
}

/**
 * Where the stream's time went, p50 / p99 in ms: in the server's GraphQL handler (`total` of its Server-Timing, and
 * each phase it names), and outside it (the rest of the client's latency: the worker's event loop busy before the
 * handler ran, the kernel's queue, the generator's own lag).
 */
function breakdown(stream: FuzzOutcome[]): Record<string, [number, number]> {
  const ok = stream.filter((o) => o.status === 200 && o.serverTiming.total !== undefined);
  const names = [...new Set(ok.flatMap((o) => Object.keys(o.serverTiming)))];
  const pair = (xs: number[]): [number, number] => [round(p(xs, 0.5)), round(p(xs, 0.99))];
  return { ...Object.fromEntries(names.map((n) => [n, pair(ok.map((o) => o.serverTiming[n] ?? 0))])), outside: pair(ok.map((o) => o.ms - o.serverTiming.total)) };
}

interface ClosedLoopRun {
  /** The recommendations(first: 20) requests of the idle phase. */
  recsIdle: FuzzOutcome[];
  /** When each request of the mix was sent, ms after the mix started (by index into the outcomes). */
  sentAt: number[];
  cpu: { idle: CpuShare; mix: CpuShare };
  recsRate: number;
  /** recommendations(first: 20) from a process of its own at `recsRate`: alone, after the idle phase above, and beside the mix. */
  probe: { idle: ProbeResult; mix: ProbeResult };
}

/**
 * Where the closed loop's recommendations(first: 20) spent their time (in the server's handler or outside it, idle
 * and under the mix), who used the CPU, and the slowest ten of them and of the other requests, with when they were
 * sent: what the slow recommendations fell beside.
 */
function closedLoopFigures(outcomes: FuzzOutcome[], run: ClosedLoopRun) {
  const sent = outcomes.map((o, k) => ({ o, at: run.sentAt[k] }));
  const slowest = (xs: typeof sent) =>
    [...xs].sort((a, b) => b.o.ms - a.o.ms).slice(0, 10).map(({ o, at }) => `${round(at)}+${round(o.ms)} ms ${o.request.label} ${o.status} (handler ${round(o.serverTiming.total ?? NaN)})`);
  const recs = sent.filter((x) => x.o.request.kind === 'recommendations-20');
  return {
    cpu: run.cpu,
    recommendations20Ms: { idle: breakdown(run.recsIdle), underMix: breakdown(recs.map((x) => x.o)) },
    recommendations20Probe: { rate: run.recsRate, requests: { idle: run.probe.idle.outcomes.length, underMix: run.probe.mix.outcomes.length }, ...probeFigures(run.probe) },
    slowestRecommendations20: slowest(recs),
    slowestNonDrift: slowest(sent.filter((x) => x.o.request.kind !== 'drift')),
  };
}

function report(outcomes: FuzzOutcome[], idle: number[], seconds: number, run: { alive: boolean; workers: string; concurrency: number; dataset: string; withoutModel?: string; versions: string[]; settled: { seconds: number; quiet: boolean }; neo4jAtMix: ReturnType<typeof processAge>; openLoop?: OpenLoopRun; closedLoop?: ClosedLoopRun }): void {
  const count = (keys: string[]) => Object.fromEntries([...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]));
  const nonDrift = outcomes.filter((o) => o.request.kind !== 'drift').map((o) => o.ms);
  const drift = outcomes.filter((o) => o.request.kind === 'drift').map((o) => o.ms);
  const underMix = (run.openLoop?.recsUnderMix ?? outcomes.filter((o) => o.request.kind === 'recommendations-20')).filter((o) => o.status === 200).map((o) => o.ms);
  const violations = outcomes.map((o) => [o, violation(o, run.withoutModel)] as const).filter(([, v]) => v !== null);
  const figures = {
    dataset: run.dataset,
    versions: run.versions,
    workers: Number(run.workers),
    /** The front and its priority worker (EIOR_API_PRIORITY_WORKER, on unless off; only with more than one worker). */
    priorityWorker: Number(run.workers) > 1 && process.env.EIOR_API_PRIORITY_WORKER !== 'off',
    load: run.openLoop ? `open loop: mix ${run.openLoop.rate}/s, recommendations(first: 20) ${run.openLoop.recsRate}/s` : `closed loop: ${run.concurrency} in flight`,
    ...(run.closedLoop ? closedLoopFigures(outcomes, run.closedLoop) : {}),
    ...(run.openLoop ? { sendLagP99Ms: round(p(run.openLoop.lag, 0.99)), cpu: run.openLoop.cpu, recommendations20Ms: { idle: breakdown(run.openLoop.recsIdle), underMix: breakdown(run.openLoop.recsUnderMix) }, recommendations20Probe: probeFigures(run.openLoop.probe), recommendations20: { idle: idle.length, underMix: underMix.length, notOkUnderMix: run.openLoop.recsUnderMix.filter((o) => o.status !== 200).length } } : {}),
    requests: outcomes.length,
    seconds: Number(seconds.toFixed(1)),
    statuses: count(outcomes.map((o) => String(o.status))),
    codes: count(outcomes.flatMap((o) => (o.codes.length ? [...new Set(o.codes)] : ['(none)']))),
    labels: count(outcomes.map((o) => o.request.label)),
    http500: outcomes.filter((o) => o.status === 500).length,
    internalServerError: outcomes.filter((o) => o.codes.includes('INTERNAL_SERVER_ERROR')).length,
    leakyBodies: outcomes.filter((o) => o.leak).length,
    timeouts: outcomes.filter((o) => o.timedOut).length,
    violations: violations.length,
    serverAlive: run.alive,
    /** How long the server's start-up work went on after drift was READY, before the idle phase. */
    settledBeforeIdle: { seconds: Number(run.settled.seconds.toFixed(1)), quiet: run.settled.quiet },
    /** The project's Neo4j when the mix began: seconds since it started and CPU seconds it had used (null: not found). */
    neo4jAtMixStart: run.neo4jAtMix,
    ms: {
      nonDriftP50: round(p(nonDrift, 0.5)),
      nonDriftP99: round(p(nonDrift, 0.99)),
      nonDriftMax: round(Math.max(...nonDrift)),
      driftP99: round(p(drift, 0.99)),
      recommendations20IdleP99: round(p(idle, 0.99)),
      recommendations20MixP99: round(p(underMix, 0.99)),
      recommendations20MixOverIdle: round(p(underMix, 0.99) / p(idle, 0.99)),
      // the same from the probe process (recommendations20Probe above)
      ...probeHeadline(run.openLoop?.probe ?? run.closedLoop?.probe),
    },
  };
  const labels = [...new Set(outcomes.map((o) => o.request.label))];
  const p99ByLabel = Object.fromEntries(labels.map((l) => [l, round(p(outcomes.filter((o) => o.request.label === l).map((o) => o.ms), 0.99))] as const).sort((a, b) => b[1] - a[1]).slice(0, 8));
  const tenths = Array.from({ length: 10 }, (_, k) => round(p(outcomes.slice((k * outcomes.length) / 10, ((k + 1) * outcomes.length) / 10).filter((o) => o.request.kind !== 'drift').map((o) => o.ms), 0.99)));
  const meanByLabel = Object.fromEntries(labels.map((l) => { const xs = outcomes.filter((o) => o.request.label === l).map((o) => o.ms); return [l, round(xs.reduce((a, x) => a + x, 0) / xs.length)] as const; }).sort((a, b) => b[1] - a[1]));
  // the recommendations stream beside an open-loop mix, per tenth of the run: where its slow answers fall
  const recsTenths = run.openLoop ? Array.from({ length: 10 }, (_, k) => round(p(underMix.slice((k * underMix.length) / 10, ((k + 1) * underMix.length) / 10), 0.99))) : undefined;
  console.log(JSON.stringify({ p99ByLabel, meanByLabel, nonDriftP99ByTenth: tenths, recommendations20MixP99ByTenth: recsTenths, idleP50: round(p(idle, 0.5)), mixP50: round(p(underMix, 0.5)), idleMax: round(Math.max(...idle)), mixMax: round(Math.max(...underMix)) }));
  for (const [o, why] of violations.slice(0, 10)) console.log(`VIOLATION ${why}: ${o.request.label} ${o.request.body?.slice(0, 200)} -> ${o.status} ${o.body.slice(0, 300)}`);
  console.log(JSON.stringify(figures, null, 2));
}

const round = (x: number) => Math.round(x * 10) / 10;

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
