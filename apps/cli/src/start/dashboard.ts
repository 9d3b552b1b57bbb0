// The dashboard of the main job: apps/web built with `next build` when its build is missing or older than its
// sources, then `next start` as a child process pointed at the API.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors';
import { progressBar, say } from '../output';

const SOURCES = ['app', 'src', 'components', 'lib', 'next.config.ts', 'next.config.mjs', 'package.json'];

/** What `next build` prints as it goes, in order: the progress bar's stages. */
const BUILD_STAGES = ['Creating an optimized production build', 'Compiled successfully', 'Running TypeScript', 'Collecting page data', 'Generating static pages', 'Finalizing page optimization'];

function newestSource(dir: string): number {
  let newest = 0;
  const visit = (p: string): void => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const s of SOURCES) visit(path.join(dir, s));
  return newest;
}

function nextBin(webDir: string): string {
  return require.resolve('next/dist/bin/next', { paths: [webDir] });
}

/** Builds the dashboard unless an up-to-date build is there; false when the checkout has no apps/web. */
export async function ensureDashboardBuilt(webDir: string): Promise<boolean> {
  if (!existsSync(path.join(webDir, 'package.json'))) return false;
  const buildId = path.join(webDir, '.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource(webDir)) {
    say('using the dashboard build in apps/web/.next');
    return true;
  }
  say('building the dashboard (next build)');
  const started = performance.now();
  const bar = progressBar('next build', BUILD_STAGES.length, 'stages');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(webDir), 'build'], { cwd: webDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
      let stage = -1;
      BUILD_STAGES.forEach((s, k) => {
        if (output.includes(s)) stage = k;
      });
      if (stage >= 0) bar.update(stage + 1, BUILD_STAGES[stage]);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new CliError(`next build failed (exit ${code}):\n${output}`))));
  }).finally(() => bar.stop());
  say(`  dashboard built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

/** `next start` on host:port with the API's URL; resolves once it answers HTTP. */
export async function startDashboard(webDir: string, host: string, port: number, apiUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [nextBin(webDir), 'start', '-H', host, '-p', String(port)], {
    cwd: webDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EIOR_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new CliError(`the dashboard stopped at start (exit ${child.exitCode}):\n${output}`);
    try {
      await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(2_000) });
      return child;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new CliError(`the dashboard did not answer on http://${host}:${port} within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
