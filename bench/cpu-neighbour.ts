// Where a CPU-heavy neighbour of the API hurts its latency least (Linux): a periodic task (2 ms of work every 10 ms,
// like a request) measures how late it finishes with no neighbour, beside a busy thread of its own process under
// SCHED_IDLE (where the API's BI thread runs, EIOR_BI_PRIORITY=idle), and beside a busy process in a session of its
// own with that session's autogroup at nice 19 (what a BI child process could get). The three alternate in rounds,
// so the machine's other work falls on all three.
// Usage: npm run bench:cpu-neighbour [-- --rounds 3 --seconds 8]
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** The busy loop: MODE=idle puts its thread under SCHED_IDLE (chrt), low at nice 19, group its session's autogroup at nice 19. */
const BURNER = `const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
if (process.env.MODE === 'idle') execFileSync('chrt', ['--idle', '--pid', '0', String(tid)]);
if (process.env.MODE === 'low') require('node:os').setPriority(tid, 19);
if (process.env.MODE === 'group') fs.writeFileSync('/proc/self/autogroup', '19');
let x = 0;
for (;;) for (let i = 0; i < 1e7; i++) x += i;
`;

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Every 10 ms, 2 ms of work; how late each finished against its schedule, ms: p50, p99, max. */
async function periodic(seconds: number): Promise<{ p50: number; p99: number; max: number }> {
  const late: number[] = [];
  const start = performance.now();
  for (let k = 0; performance.now() - start < seconds * 1000; k++) {
    const due = start + k * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    spin(2);
    late.push(performance.now() - due - 2);
  }
  late.sort((a, b) => a - b);
  const at = (q: number) => Math.round(late[Math.min(late.length - 1, Math.floor(q * late.length))] * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

async function main(): Promise<void> {
  const rounds = Number(flag('--rounds', '3'));
  const seconds = Number(flag('--seconds', '8'));
  const burner = path.join(os.tmpdir(), `eior-cpu-neighbour-${process.pid}.js`);
  writeFileSync(burner, BURNER);
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const results: Record<string, { p50: number; p99: number; max: number }[]> = { 'no neighbour': [], 'thread of this process, SCHED_IDLE': [], 'thread of this process, nice 19': [], 'process in its own session, autogroup nice 19': [] };
  const stops: (() => unknown)[] = []; // every busy loop started, stopped again whatever happens
  try {
    for (let r = 0; r < rounds; r++) {
      results['no neighbour'].push(await periodic(seconds));
      const thread = new Worker(burner, { env: { ...process.env, MODE: 'idle' } });
      stops.push(() => thread.terminate());
      await settle();
      results['thread of this process, SCHED_IDLE'].push(await periodic(seconds));
      await thread.terminate();
      const low = new Worker(burner, { env: { ...process.env, MODE: 'low' } });
      stops.push(() => low.terminate());
      await settle();
      results['thread of this process, nice 19'].push(await periodic(seconds));
      await low.terminate();
      const child = spawn(process.execPath, [burner], { detached: true, stdio: 'ignore', env: { ...process.env, MODE: 'group' } });
      stops.push(() => child.kill());
      await settle();
      results['process in its own session, autogroup nice 19'].push(await periodic(seconds));
      child.kill();
    }
  } finally {
    await Promise.all(stops.map((stop) => stop()));
    rmSync(burner, { force: true });
  }
  console.log(`| neighbour | p99 ms by round | p50 ms by round | max ms by round |\n|---|---|---|---|`);
  for (const [name, runs] of Object.entries(results)) console.log(`| ${name} | ${runs.map((x) => x.p99).join(', ')} | ${runs.map((x) => x.p50).join(', ')} | ${runs.map((x) => x.max).join(', ')} |`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(JSON.stringify({ rounds, seconds, results }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
