// Ingest benchmark: the TikTok benchmark into an empty database (wall time), and generated data of
// 1,000,000 interactions (interactions per second on the idempotent write path, peak memory).
// Usage: npm run bench:ingest [-- --tiktok DIR] [--interactions N]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchNeo4j } from './lib/bench-neo4j';
import { runCliJson } from './lib/run-cli';

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

async function main(): Promise<void> {
  const tiktok = path.resolve(flag('--tiktok', path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'tiktok')));
  const interactions = Number(flag('--interactions', '1000000'));
  const neo4j = await benchNeo4j();
  const env = { ...process.env, NEO4J_URI: neo4j.uri };
  const rows: string[] = [];
  const figures: Record<string, unknown> = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, freshDatabase: neo4j.fresh };
  const work = mkdtempSync(path.join(os.tmpdir(), 'eior-bench-ingest-'));
  try {
    if (existsSync(tiktok)) {
      const first = await runCliJson(['ingest', '--dataset', 'bench-tiktok', '--dir', tiktok], env);
      const again = await runCliJson(['ingest', '--dataset', 'bench-tiktok', '--dir', tiktok], env);
      const f = first.figures as { interactions: { total: number }; interactionsPerSecond: number; peakRssMb: number; seconds: { write: number } };
      figures.tiktok = { wallSeconds: first.wallSeconds, writeSeconds: f.seconds.write, interactionsPerSecond: f.interactionsPerSecond, peakRssMb: f.peakRssMb, rerunWallSeconds: again.wallSeconds };
      rows.push(`| TikTok (${f.interactions.total} interactions, 2 modalities), empty database | ${first.wallSeconds.toFixed(1)} s | ${Math.round(f.interactionsPerSecond)} | ${f.peakRssMb} MB | ${again.wallSeconds.toFixed(1)} s |`);
    } else {
      rows.push(`| TikTok: not found at ${tiktok} | | | | |`);
    }
    const dir = path.join(work, 'generated');
    const users = Math.max(1000, Math.round(interactions / 20));
    const items = Math.max(500, Math.round(interactions / 50));
    const gen = await runCliJson(['generate', '--out', dir, '--interactions', String(interactions), '--users', String(users), '--items', String(items)], env);
    const first = await runCliJson(['ingest', '--dataset', 'bench-generated', '--dir', dir], env);
    const again = await runCliJson(['ingest', '--dataset', 'bench-generated', '--dir', dir], env);
    const f = first.figures as { interactions: { total: number }; interactionsPerSecond: number; peakRssMb: number; seconds: { write: number } };
    figures.generated = { users, items, interactions: f.interactions.total, generateSeconds: gen.wallSeconds, wallSeconds: first.wallSeconds, writeSeconds: f.seconds.write, interactionsPerSecond: f.interactionsPerSecond, peakRssMb: f.peakRssMb, rerunWallSeconds: again.wallSeconds };
    rows.push(`| generated (${f.interactions.total} interactions, ${users} users, ${items} items) | ${first.wallSeconds.toFixed(1)} s | ${Math.round(f.interactionsPerSecond)} | ${f.peakRssMb} MB | ${again.wallSeconds.toFixed(1)} s |`);
  } finally {
    await neo4j.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`machine: ${figures.cpus} x ${figures.cpu}; ${neo4j.fresh ? 'fresh local Neo4j (empty store)' : `NEO4J_URI=${neo4j.uri}`}\n`);
  console.log('| ingest | wall time | interactions/s (write stage) | peak memory (ingest process) | re-run (no-op) |');
  console.log('|---|---|---|---|---|');
  rows.forEach((r) => console.log(r));
  console.log(JSON.stringify(figures));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
