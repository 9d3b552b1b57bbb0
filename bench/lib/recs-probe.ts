// A recommendations client in a process of its own: the same open loop of recommendations(first: 20) as the stream
// bench/api-fuzz.ts sends from its own process, but on an event loop that does nothing else. The load generator's
// process also builds, sends and checks the mix (megabyte bodies, a leak check of every answer), so its answers are
// read late when it is busy, and that lateness counts as the server's latency; the probe shows how much.
import { fork } from 'node:child_process';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { leakFinder, sendFuzz, type FuzzOutcome } from './fuzz-check';
import type { FuzzRequest } from './fuzz-requests';
import { openLoop } from './open-loop';

interface ProbeJob {
  base: string;
  rate: number;
  requests: FuzzRequest[];
  ownDirs: string[];
  timeoutMs: number;
}

export interface ProbeResult {
  /**
   * One per request, body left out (the probe checked it for leaks itself); `ms` from the scheduled send, `lagMs`
   * how late the send itself was (the probe's own process waiting for a core or its event loop).
   */
  outcomes: (FuzzOutcome & { lagMs: number })[];
  /** The probe's own event-loop delay over the run, ms. */
  loopDelayMs: { p99: number; max: number };
}

/**
 * A probe process, started and ready; `run` sends one open loop and resolves with its outcomes, `end` stops a run's
 * sending early (beside a closed loop: when the mix is over), and `stop` ends the process.
 */
export async function startProbe(): Promise<{ run(job: ProbeJob): Promise<ProbeResult>; end(): void; stop(): void }> {
  const child = fork(__filename, ['--probe-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the recommendations probe exited with ${code} before starting`)));
  });
  return {
    run: (job) =>
      new Promise<ProbeResult>((resolve, reject) => {
        const exited = (code: number | null) => reject(new Error(`the recommendations probe exited with ${code}`));
        child.once('message', (result) => {
          child.off('exit', exited); // one run after another: no listener left behind
          resolve(result as ProbeResult);
        });
        child.once('exit', exited);
        child.send(job);
      }),
    end: () => void child.send('end'),
    stop: () => void child.kill(),
  };
}

async function probeChild(): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let ended = false;
  process.on('message', (job: ProbeJob | 'end') => {
    if (job === 'end') return void (ended = true);
    ended = false;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const leakOf = leakFinder(job.ownDirs);
    const base = new URL(job.base);
    void openLoop(job.rate, job.requests.length, (k) => sendFuzz(base, agent, job.requests[k], job.timeoutMs, leakOf), () => ended).then((timed) => {
      loop.disable();
      const outcomes = timed.map((t) => ({ ...t.result, ms: t.ms, lagMs: t.lagMs, body: '' }));
      process.send!({ outcomes, loopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } } satisfies ProbeResult);
    });
  });
  process.send!('ready');
}

if (process.argv.includes('--probe-child')) void probeChild();
