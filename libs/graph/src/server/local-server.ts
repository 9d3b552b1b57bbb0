// Starts, stops and inspects the project's own Neo4j: a detached JVM per home folder, found again through
// its pid file, so `start` in one process and `stop` in another work on the same server.
import { spawn } from 'node:child_process';
import { openSync, closeSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors';
import { withFileLock } from './file-lock';
import { checkJava, ensureLauncherBuilt, launcherClasspath, launcherPaths } from './launcher-build';
import { launcherLogPath, launcherLogTail, parseLauncherLog, readLauncherLog } from './launcher-log';
import {
  LAUNCHER_MAIN_CLASS, PidRecord, isLauncherProcess, readPidFile, removePidFile, signalLauncher, sleep, waitForExit, writePidFile,
} from './pid-file';
import { portAnswers, verifyBolt } from './port-probe';
import { interruptedImport, recoverStoreSwap } from './store-swap';
import {
  DEFAULT_STOP_TIMEOUT_MS, LAUNCHER_JVM_FLAGS, LOCAL_NEO4J_HOST, LocalNeo4jStatusOptions, ServerStage, StartLocalNeo4jOptions,
  StopLocalNeo4jOptions, boltUri, validateHome, validatePort, validateStartOptions,
} from './server-options';

export interface LocalNeo4jStarted {
  uri: string;
  pid: number;
  /** True when a server of this home was already running and nothing was started. */
  alreadyRunning: boolean;
  /** Milliseconds from the call to a verified Bolt connection (including any build). */
  startMs: number;
}

export interface LocalNeo4jStopped {
  wasRunning: boolean;
  pid?: number;
  /** True when SIGTERM was not enough and the JVM had to be killed (its next start recovers the store). */
  killed: boolean;
  stopMs: number;
  message: string;
}

export interface LocalNeo4jStatus {
  running: boolean;
  /** 'starting': the JVM of this home runs but Bolt does not answer yet. */
  state: 'running' | 'starting' | 'stopped';
  pid?: number;
  uri: string;
  port: number;
  home: string;
  /** When stopped: true if something else holds the port (a start would fail). */
  portBusy: boolean;
}

const POLL_MS = 200;
const START_LOCK = 'start.lock';

export async function startLocalNeo4j(options: StartLocalNeo4jOptions): Promise<LocalNeo4jStarted> {
  const opts = validateStartOptions(options);
  const t0 = Date.now();
  const progress = (stage: ServerStage, message: string) =>
    options.onProgress?.(message, { stage, message, elapsedMs: Date.now() - t0 });
  await fs.mkdir(opts.home, { recursive: true });
  // Two commands starting the same home at once: the second waits, then finds the first one's server.
  return withFileLock(path.join(opts.home, START_LOCK), `starting the Neo4j of ${opts.home}`,
    () => startUnderLock(opts, progress, t0));
}

async function startUnderLock(
  opts: ReturnType<typeof validateStartOptions>,
  progress: (stage: ServerStage, message: string) => void,
  t0: number,
): Promise<LocalNeo4jStarted> {
  let existing = await liveRecord(opts.home);
  if (existing && (await interruptedImport(opts.home))) {
    // Running on the store of a bulk import killed before its commit: stopped, so that the start below undoes it.
    progress('spawn', `Stopping Neo4j (pid ${existing.pid}): it runs on the store of an interrupted bulk import`);
    await stopLocalNeo4j({ home: opts.home });
    existing = undefined;
  }
  if (existing) {
    if (existing.port !== opts.port) {
      throw new GraphError('CONFLICT', `the Neo4j of ${opts.home} already runs on port ${existing.port} (pid ${existing.pid}), `
        + `not on the requested port ${opts.port}: stop it first, or use port ${existing.port}`);
    }
    // A start in another process may still be waiting for this JVM: wait for the same ready line.
    const uri = await waitForReady(opts.home, existing.pid, opts.startTimeoutMs, progress);
    progress('verify', `Checking Bolt at ${uri}`);
    await verifyBolt(uri);
    progress('ready', `Neo4j already running at ${uri} (pid ${existing.pid})`);
    return { uri, pid: existing.pid, alreadyRunning: true, startMs: Date.now() - t0 };
  }

  if (await portAnswers(LOCAL_NEO4J_HOST, opts.port)) {
    throw new GraphError('SERVER_START_FAILED', `port ${opts.port} on ${LOCAL_NEO4J_HOST} is already in use by another process `
      + `(not the Neo4j of ${opts.home}): stop that process or choose another port`);
  }

  await checkJava();
  // A bulk import killed before it was committed left the old store aside: put it back before the JVM opens it.
  const recovered = await recoverStoreSwap(opts.home);
  if (recovered) progress('spawn', `An interrupted bulk import was found and ${recovered === 'committed' ? 'its clean-up finished' : 'undone (the store is as before it)'}`);
  const paths = launcherPaths();
  await ensureLauncherBuilt((step, message) => progress(step, message), paths);

  progress('spawn', `Starting Neo4j on ${boltUri(opts.port)} (store in ${opts.home})`);
  const pid = await spawnLauncher(opts, launcherClasspath(paths));
  await writePidFile(opts.home, { pid, port: opts.port, startedAt: new Date().toISOString() });

  let uri: string;
  try {
    uri = await waitForReady(opts.home, pid, opts.startTimeoutMs, progress);
    progress('verify', `Checking Bolt at ${uri}`);
    await verifyBolt(uri);
  } catch (err) {
    signalLauncher(pid, 'SIGKILL');
    await waitForExit(pid, 10_000);
    await removePidFile(opts.home);
    throw err;
  }
  progress('ready', `Neo4j ready at ${uri} (pid ${pid})`);
  return { uri, pid, alreadyRunning: false, startMs: Date.now() - t0 };
}

export async function stopLocalNeo4j(options: StopLocalNeo4jOptions): Promise<LocalNeo4jStopped> {
  const home = validateHome(options.home);
  const timeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const t0 = Date.now();
  const record = await readPidFile(home);
  if (!record || !(await isLauncherProcess(record.pid))) {
    await removePidFile(home);
    const why = record ? `its pid file named pid ${record.pid}, which is no longer a Neo4j launcher` : 'no pid file';
    return { wasRunning: false, killed: false, stopMs: Date.now() - t0, message: `no local Neo4j is running for ${home} (${why}): nothing to stop` };
  }
  // SIGTERM runs the launcher's shutdown hook, which closes the store cleanly.
  signalLauncher(record.pid, 'SIGTERM');
  let killed = false;
  if (!(await waitForExit(record.pid, timeoutMs))) {
    signalLauncher(record.pid, 'SIGKILL');
    killed = true;
    if (!(await waitForExit(record.pid, 10_000))) {
      throw new GraphError('INTERNAL', `the Neo4j of ${home} (pid ${record.pid}) survived SIGKILL: check it with \`ps -p ${record.pid}\``);
    }
  }
  await removePidFile(home);
  const message = killed
    ? `Neo4j (pid ${record.pid}) did not stop within ${Math.round(timeoutMs / 1000)} s of SIGTERM and was killed; the next start recovers the store`
    : `Neo4j (pid ${record.pid}) stopped`;
  return { wasRunning: true, pid: record.pid, killed, stopMs: Date.now() - t0, message };
}

export async function localNeo4jStatus(options: LocalNeo4jStatusOptions): Promise<LocalNeo4jStatus> {
  const home = validateHome(options.home);
  const record = await liveRecord(home);
  const port = record?.port ?? validatePort(options.port);
  const answers = await portAnswers(LOCAL_NEO4J_HOST, port);
  const state = !record ? 'stopped' : answers ? 'running' : 'starting';
  return {
    running: state === 'running',
    state,
    pid: record?.pid,
    uri: boltUri(port),
    port,
    home,
    portBusy: !record && answers,
  };
}

/** The pid record of this home when it names a live launcher; a stale pid file is removed. */
async function liveRecord(home: string): Promise<PidRecord | undefined> {
  const record = await readPidFile(home);
  if (!record) return undefined;
  if (await isLauncherProcess(record.pid)) return record;
  await removePidFile(home);
  return undefined;
}

async function spawnLauncher(opts: ReturnType<typeof validateStartOptions>, classpath: string): Promise<number> {
  const args = [
    `-Xms${opts.heap}`, `-Xmx${opts.heap}`, ...LAUNCHER_JVM_FLAGS, '-cp', classpath, LAUNCHER_MAIN_CLASS,
    '--home', opts.home, '--port', String(opts.port), '--pagecache', opts.pageCache,
  ];
  // Truncated per start, so the ready line found is this start's; Neo4j's own history is in logs/debug.log.
  const log = openSync(launcherLogPath(opts.home), 'w');
  try {
    // Detached in its own process group, so it outlives this process and a Ctrl-C here does not reach it.
    const child = spawn('java', args, { cwd: opts.home, detached: true, stdio: ['ignore', log, log] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid as number));
      child.once('error', (err) => reject(new GraphError('SERVER_START_FAILED', `java could not be started: ${err.message}`, { cause: err })));
    });
    child.unref();
    return pid;
  } finally {
    closeSync(log);
  }
}

/** Polls launcher.log for the READY or FAILED line; fails fast when the JVM dies, kills it on timeout. */
async function waitForReady(
  home: string,
  pid: number,
  timeoutMs: number,
  progress: (stage: ServerStage, message: string) => void,
): Promise<string> {
  const t0 = Date.now();
  let lastReport = 0;
  for (;;) {
    const state = parseLauncherLog(await readLauncherLog(home));
    if (state.state === 'ready') return state.uri;
    if (state.state === 'failed') {
      throw new GraphError('SERVER_START_FAILED', `${state.reason}${await launcherLogTail(home)}`);
    }
    if (!(await isLauncherProcess(pid))) {
      throw new GraphError('SERVER_START_FAILED',
        `the Neo4j JVM (pid ${pid}) exited before it was ready; see ${home}/logs/debug.log${await launcherLogTail(home)}`);
    }
    const waited = Date.now() - t0;
    if (waited > timeoutMs) {
      throw new GraphError('SERVER_START_FAILED', `Neo4j (pid ${pid}) was not ready after ${Math.round(timeoutMs / 1000)} s and was stopped; `
        + `see ${home}/logs/debug.log${await launcherLogTail(home)}`);
    }
    if (waited - lastReport >= 1000) {
      lastReport = waited;
      progress('wait', `Waiting for Neo4j (${Math.round(waited / 1000)} s)`);
    }
    await sleep(POLL_MS);
  }
}
