// The main job's tuning, once the API serves: `eior tune --model eior --only-if-better` in a child process at a lower
// CPU priority, its output in a log file, so data without tuned settings is served within the time of one training
// and the tuned version replaces the served one (the API's next poll) only when it is better on validation NDCG@20.
// Ctrl-C stops the child; the next start resumes the tuning from its recorded trials.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import type { CliConfig } from '../config';
import { say } from '../output';

/** How much lower than the API the tuning runs (os.setPriority's niceness). */
const TUNING_NICE = 10;
/** How long a stop waits for the child after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000;

export interface BackgroundTuning {
  /** The file the child writes its output to. */
  log: string;
  /** Resolves when the child exits, with what it made current (or null when it made nothing current or failed). */
  done: Promise<{ code: number | null; servedVersion: string | null }>;
  /** Stops the child (SIGTERM, then SIGKILL after a grace period); resolves once it has exited. */
  stop(): Promise<void>;
}

/** The `eior` arguments of the main job's background tuning. */
export function backgroundTuneArgs(dataset: string, budgetSeconds: number): string[] {
  return ['tune', '--dataset', dataset, '--model', 'eior', '--budget', `${Math.max(1, Math.round(budgetSeconds))}s`, '--max-epochs', '27', '--only-if-better', '--json'];
}

export function startBackgroundTuning(config: CliConfig, dataset: string, budgetSeconds: number): BackgroundTuning {
  const logDir = path.join(config.stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `tune-${dataset}.log`);
  const fd = openSync(log, 'a');
  const bin = path.join(config.repoRoot, 'apps', 'cli', 'bin', 'eior.js');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [bin, ...backgroundTuneArgs(dataset, budgetSeconds)], { env: process.env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  try {
    if (child.pid !== undefined) setPriority(child.pid, TUNING_NICE);
  } catch {
    // a lower priority is a courtesy to the API; without the right to set it the tuning still runs
  }
  const done = new Promise<{ code: number | null; servedVersion: string | null }>((resolve) => {
    child.once('exit', (code) => resolve({ code, servedVersion: code === 0 ? madeCurrent(log) : null }));
  });
  return {
    log,
    done,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Says how a background tuning ended; the API picks a new current version up on its next poll. */
export function reportBackgroundTuning(dataset: string, tuning: BackgroundTuning, outcome: { code: number | null; servedVersion: string | null }): void {
  if (outcome.code !== 0) say(`background tuning of '${dataset}' stopped (exit ${outcome.code ?? 'by signal'}); the next start resumes it (log: ${tuning.log})`);
  else if (outcome.servedVersion) say(`background tuning of '${dataset}' finished: ${outcome.servedVersion} is now current and replaces the served version (log: ${tuning.log})`);
  else say(`background tuning of '${dataset}' finished: the served version stays (the tuned one was not better on validation; log: ${tuning.log})`);
}

/** The version the tuning's final training made current, from the JSON summary on the log's last line. */
export function madeCurrent(log: string): string | null {
  const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (!last.startsWith('{')) return null;
  try {
    const summary = JSON.parse(last) as { training?: { current?: boolean; version?: string } | null };
    return summary.training?.current ? (summary.training.version ?? null) : null;
  } catch {
    return null;
  }
}
