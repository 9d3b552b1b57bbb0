// Events-file ingest benchmark: generates N events (users, string item ids, times, ratings, an extra column, about
// 5 % repeats of a user's earlier item) as CSV and as Parquet, ingests each into an empty dataset with the CLI (first
// ingest: events/s over the whole command and peak memory of the ingest process), then appends M new events (new
// users and items among them) to the CSV dataset, K times (`--appends`, default 3: each a later month of new events;
// the first runs on a server the bulk import has just restarted, whose JIT compiler is still cold, the later ones on
// a warm one). Bars: first ingest >= 50,000 events/s within 1 GB, append >= 30,000 events/s.
// Usage: npm run bench:events [-- --events 10000000] [--append 1000000] [--appends 3] [--neo4j-port 7699]
// [--pagecache 4096m] (the fresh server's page cache; default: what the CLI's own Neo4j gets, defaultPageCache)
// [--bulk auto|on|off] (the first ingests' --bulk; with auto or on each first ingest gets a fresh server of its own (Parquet's on port + 100),
// which the CLI manages as its project Neo4j so that it may import offline, and the append runs on the CSV's)
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { defaultPageCache, Prng } from '@eior/graph';
import { benchNeo4j, type BenchNeo4j } from './lib/bench-neo4j';
import { childrenCpuSeconds } from './lib/proc-cpu';
import { runCliJson } from './lib/run-cli';

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

const DAY = 86_400;
const START = 1_767_225_600; // 2026-01-01
const CHUNK = 100_000;

interface Shape {
  events: number;
  users: number;
  items: number;
  firstUser: number;
  firstItem: number;
  start: number;
  seed: number;
}

/** Calls `chunk` with column arrays of CHUNK events at a time: the file is never held whole. */
async function generate(shape: Shape, chunk: (c: { user: string[]; item: string[]; t: number[]; rating: number[]; device: string[] }) => Promise<void>): Promise<void> {
  const rng = new Prng(shape.seed);
  const last = new Int32Array(shape.users).fill(-1);
  for (let from = 0; from < shape.events; from += CHUNK) {
    const n = Math.min(CHUNK, shape.events - from);
    const c = { user: new Array<string>(n), item: new Array<string>(n), t: new Array<number>(n), rating: new Array<number>(n), device: new Array<string>(n) };
    for (let k = 0; k < n; k++) {
      const u = rng.nextInt(shape.users);
      const i = last[u] >= 0 && rng.nextInt(20) === 0 ? last[u] : Math.floor(shape.items * rng.next() ** 2);
      last[u] = i;
      c.user[k] = `user-${shape.firstUser + u}`;
      c.item[k] = `item-${shape.firstItem + i}`;
      c.t[k] = shape.start + Math.floor(((from + k) / shape.events) * 90 * DAY);
      c.rating[k] = 1 + rng.nextInt(5);
      c.device[k] = ['phone', 'tv', 'web'][rng.nextInt(3)];
    }
    await chunk(c);
  }
}

async function writeCsv(file: string, shape: Shape): Promise<void> {
  const out = createWriteStream(file);
  out.write('user,item,timestamp,rating,device\n');
  await generate(shape, async (c) => {
    const lines = c.user.map((u, k) => `${u},${c.item[k]},${c.t[k]},${c.rating[k]},${c.device[k]}`);
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
}

interface WriterLib {
  fileWriter(file: string): unknown;
  ParquetWriter: new (options: { writer: unknown; schema: unknown }) => { write(o: { columnData: unknown[]; rowGroupSize: number }): void; finish(): void };
  schemaFromColumnData(o: { columnData: unknown[] }): unknown;
}

async function writeParquet(file: string, shape: Shape): Promise<void> {
  // hyparquet-writer is an ES module; its node entry (fileWriter) is what Node resolves at run time
  const lib = (await import('hyparquet-writer')) as unknown as WriterLib;
  let writer: InstanceType<WriterLib['ParquetWriter']> | undefined;
  await generate(shape, async (c) => {
    const columnData = [
      { name: 'user', data: c.user, type: 'STRING' },
      { name: 'item', data: c.item, type: 'STRING' },
      { name: 'timestamp', data: c.t.map(BigInt), type: 'INT64' },
      { name: 'rating', data: c.rating, type: 'DOUBLE' },
      { name: 'device', data: c.device, type: 'STRING' },
    ];
    writer ??= new lib.ParquetWriter({ writer: lib.fileWriter(file), schema: lib.schemaFromColumnData({ columnData }) });
    writer.write({ columnData, rowGroupSize: CHUNK });
  });
  writer?.finish();
}

async function main(): Promise<void> {
  const events = Number(flag('--events', '10000000'));
  const appendEvents = Number(flag('--append', '1000000'));
  const appends = Number(flag('--appends', '3'));
  if (!Number.isInteger(appends) || appends < 0) throw new Error(`--appends ${flag('--appends', '')} is not valid: expected a whole number of appends, 0 or more`);
  const users = Math.max(100, Math.round(events / 20));
  const items = Math.max(100, Math.round(events / 100));
  const base: Shape = { events, users, items, firstUser: 0, firstItem: 0, start: START, seed: 1 };
  // append k (from 0): 90 % known users and items, 10 % new ones (new in the first append), in month 4 + k
  const more = (k: number): Shape => ({ events: appendEvents, users: Math.round(users * 1.1), items: Math.round(items * 1.05), firstUser: 0, firstItem: 0, start: START + (90 + 30 * k) * DAY, seed: 2 + k });
  const work = mkdtempSync(path.join(os.tmpdir(), 'eior-bench-events-'));
  const bulk = flag('--bulk', 'auto');
  const port = Number(flag('--neo4j-port', '7699'));
  const pageCache = flag('--pagecache', defaultPageCache().size);
  const neo4j = await benchNeo4j(port, pageCache);
  const servers = [neo4j];
  /** The CLI's environment: NEO4J_URI, or with a bulk import allowed, the server as the CLI's own project Neo4j. */
  const envOf = (server: BenchNeo4j): NodeJS.ProcessEnv => {
    if (bulk === 'off' || !server.fresh) return { ...process.env, NEO4J_URI: server.uri };
    const env: NodeJS.ProcessEnv = { ...process.env, EIOR_NEO4J_HOME: server.home, EIOR_NEO4J_PORT: String(server.port), EIOR_NEO4J_HEAP: '1g', EIOR_NEO4J_PAGECACHE: server.pageCache };
    delete env.NEO4J_URI;
    return env;
  };
  const figures: Record<string, unknown> = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, events, users, items, append: appendEvents, pageCache: neo4j.pageCache, bulk };
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  figures.loadBefore = load();
  const rows: string[] = [];
  /** Runs the CLI and adds the CPU seconds it and Neo4j used meanwhile (NaN where /proc cannot say). */
  const measured = async (args: string[], server: BenchNeo4j) => {
    const cli0 = childrenCpuSeconds();
    const neo0 = server.cpuSeconds();
    const run = await runCliJson(args, envOf(server));
    return { ...run, cpu: { ingest: round1(childrenCpuSeconds() - cli0), neo4j: round1(server.cpuSeconds() - neo0) } };
  };
  const cpuCell = (cpu: { ingest: number; neo4j: number }) => `${cpu.ingest} / ${cpu.neo4j} s`;
  try {
    const csv = path.join(work, 'events.csv');
    const parquet = path.join(work, 'events.parquet');
    const moreCsv = Array.from({ length: appends }, (_, k) => path.join(work, `more-${k + 1}.csv`));
    let t = performance.now();
    await writeCsv(csv, base);
    await writeParquet(parquet, base);
    for (const [k, file] of moreCsv.entries()) await writeCsv(file, more(k));
    figures.generateSeconds = (performance.now() - t) / 1000;
    figures.bytes = { csv: statSync(csv).size, parquet: statSync(parquet).size, append: moreCsv.map((f) => statSync(f).size) };
    for (const [format, file] of [['csv', csv], ['parquet', parquet]] as const) {
      // With a bulk import allowed each first ingest gets an empty database of its own (the CSV's server stays for the append).
      const server = format === 'parquet' && bulk !== 'off' && neo4j.fresh ? await benchNeo4j(port + 100, pageCache) : neo4j;
      if (server !== neo4j) servers.push(server);
      t = performance.now();
      const run = await measured(['ingest', '--dataset', `bench-events-${format}`, '--events', file, '--bulk', bulk], server);
      const f = run.figures as { events: number; repeats: number; interactions: { total: number }; seconds: { read: number; write: number; total: number }; peakRssMb: number; writePath?: { bulk: boolean; reason: string; importerPeakRssMb?: number | null } };
      const perSecond = f.events / run.wallSeconds;
      const neo4jPeakRssMb = server.peakRssMb();
      const how = f.writePath?.bulk ? `bulk import, importer JVM peak ${f.writePath.importerPeakRssMb ?? '-'} MB` : 'transactions';
      figures[format] = { wallSeconds: run.wallSeconds, seconds: f.seconds, events: f.events, pairs: f.interactions.total, repeats: f.repeats, eventsPerSecond: perSecond, peakRssMb: f.peakRssMb, neo4jPeakRssMb, cpu: run.cpu, load: load(), writePath: f.writePath };
      rows.push(`| first ingest, ${format}, ${how} (${f.events} events, ${f.repeats} repeats) | ${run.wallSeconds.toFixed(1)} s (read ${f.seconds.read.toFixed(1)}, write ${f.seconds.write.toFixed(1)}) | ${Math.round(perSecond)} | ${cpuCell(run.cpu)} | ${f.peakRssMb} MB | ${neo4jPeakRssMb ?? '-'} MB |`);
      if (server !== neo4j) await servers.pop()!.close();
    }
    const csvBulk = (figures.csv as { writePath?: { bulk: boolean } }).writePath?.bulk === true;
    const appendRuns: Record<string, unknown>[] = [];
    figures.appendRuns = appendRuns;
    for (const [k, file] of moreCsv.entries()) {
      const run = await measured(['ingest', '--dataset', 'bench-events-csv', '--events', file, '--append'], neo4j);
      const a = run.figures as { events: number; added: number; newUsers: number; newItems: number; seconds: { read: number; write: number }; peakRssMb: number };
      const perSecond = a.events / run.wallSeconds;
      const neo4jPeakRssMb = neo4j.peakRssMb();
      appendRuns.push({ wallSeconds: run.wallSeconds, seconds: a.seconds, added: a.added, newUsers: a.newUsers, newItems: a.newItems, eventsPerSecond: perSecond, peakRssMb: a.peakRssMb, neo4jPeakRssMb, cpu: run.cpu, load: load() });
      // a bulk import restarts the server: the first append is its first write work
      const server = k === 0 && csvBulk ? 'the server just restarted by the bulk import' : 'the same server';
      rows.push(`| append ${k + 1}, csv, ${server} (${a.events} events: ${a.newUsers} new users, ${a.newItems} new items) | ${run.wallSeconds.toFixed(1)} s (read ${a.seconds.read.toFixed(1)}, write ${a.seconds.write.toFixed(1)}) | ${Math.round(perSecond)} | ${cpuCell(run.cpu)} | ${a.peakRssMb} MB | ${neo4jPeakRssMb ?? '-'} MB |`);
    }
  } finally {
    for (const server of servers) await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`machine: ${figures.cpus} x ${figures.cpu}; ${neo4j.fresh ? `fresh local Neo4j (empty store, page cache ${neo4j.pageCache})` : `NEO4J_URI=${neo4j.uri}`}; load average ${figures.loadBefore} before, ${load()} after\n`);
  console.log('| run | wall time (whole command) | events/s (whole command) | CPU (ingest process / Neo4j) | peak memory (ingest process) | peak memory of Neo4j so far |');
  console.log('|---|---|---|---|---|---|');
  rows.forEach((r) => console.log(r));
  console.log(JSON.stringify(figures));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
