// The dashboard (apps/web) in tests: one `next build` (reused while its inputs and its output are unchanged),
// `next start` on a free port against a given API, and Debian's Chromium driven through playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
export const WEB_DIR = path.join(ROOT, 'apps', 'web');
const NEXT_BIN = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const DIST = path.join(WEB_DIR, '.next');
/** Written after a build this helper ran: the inputs' digest and the BUILD_ID that build produced. */
const STAMP = path.join(DIST, 'eior-test-build.json');
/** Debian's package; Playwright's own browser download does not work on these machines. */
export const CHROMIUM = process.env.EIOR_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'web');

/** Files of apps/web that a build reads (sources, config, generated types), not its outputs. */
function inputFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === '.next' || name === 'node_modules' || name === 'next-env.d.ts' || name.endsWith('.tsbuildinfo')) continue;
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) inputFiles(file, out);
    else out.push(file);
  }
  return out;
}

/** A digest of everything a build depends on: apps/web's files, the lockfile (dependency versions) and Node. */
export function webInputsDigest(): string {
  const hash = createHash('sha256');
  hash.update(`${process.version}\n`);
  for (const file of [...inputFiles(WEB_DIR), path.join(ROOT, 'package-lock.json')]) {
    hash.update(`${path.relative(ROOT, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

function readBuildId(): string | undefined {
  const file = path.join(DIST, 'BUILD_ID');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The environment of `next build` / `next start`: production mode whatever jest set (it sets NODE_ENV=test). */
function nextEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export interface WebBuild {
  reused: boolean;
  seconds: number;
  buildId: string;
}

/**
 * `next build` of apps/web, skipped when the last build this helper ran is still in .next: same inputs digest
 * and same BUILD_ID (a build by anyone else writes a new BUILD_ID, so its output is never taken for ours).
 */
export async function buildWeb(): Promise<WebBuild> {
  const started = Date.now();
  const digest = webInputsDigest();
  const buildId = readBuildId();
  if (buildId && existsSync(STAMP)) {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { digest?: string; buildId?: string };
    if (stamp.digest === digest && stamp.buildId === buildId) return { reused: true, seconds: 0, buildId };
  }
  const { code, output } = await run([NEXT_BIN, 'build'], WEB_DIR, nextEnv());
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output.slice(-4000)}`);
  const built = readBuildId();
  if (!built) throw new Error(`next build wrote no BUILD_ID:\n${output.slice(-2000)}`);
  writeFileSync(STAMP, JSON.stringify({ digest, buildId: built }));
  return { reused: false, seconds: (Date.now() - started) / 1000, buildId: built };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningWeb {
  url: string;
  /** What `next start` printed so far (for failure messages). */
  output: () => string;
  close: () => Promise<void>;
}

/** `next start` of the built dashboard on a free port, reading the API at `apiUrl`; resolves once it answers. */
export async function startWeb(apiUrl: string, timeoutMs = 30_000): Promise<RunningWeb> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: nextEnv({ EIOR_API_URL: apiUrl }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/icon.svg`);
      if (res.ok) return { url, output: () => output, close };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await close();
  throw new Error(`next start did not answer at ${url} within ${timeoutMs} ms:\n${output}`);
}

/** Debian's Chromium, headless (without the sandbox when running as root, which it refuses otherwise). */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set EIOR_CHROMIUM`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: root ? ['--no-sandbox'] : [] });
}

/** A full-page screenshot under test-results/web (git-ignored), for a person to look at after a run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
