// `eior serve --workers 2` as a person runs it: /export is answered through any worker (the others pass it to worker
// 1, which holds the BI store), and Ctrl-C stops them all. With the priority worker (the default) a third process owns
// the port, answers recommendations itself and passes the rest to the two, which run 10 nice levels lower; without
// it (EIOR_API_PRIORITY_WORKER=off) node:cluster hands connections to the two. The two mix workers run under SCHED_IDLE
// (set with util-linux's chrt, which Debian always has), every thread of them, and, where the machine lets the test
// make one (root on cgroup v1), in a CPU control group of their own that is gone once serve stops. A taken port fails
// the start with the reason, and no worker is left running.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processSchedule } from '../../apps/api/src';
import { cpuGroupFolder } from '../../apps/api/src/cpu-group';
import { runCli, startCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { machineAllowsGroups } from '../helpers/cpu-groups';

/** GET on a connection of its own (fetch would keep one connection alive, and with it one worker). */
function getOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The pids of `pid`'s child processes (Linux: from /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** The pids of the processes whose environment holds EIOR_HOME=`home` (Linux: from /proc). */
function processesWithHome(home: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`EIOR_HOME=${home}`);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

/** POST /graphql on a connection of its own: status, the lane the front chose (undefined without a front), the body. */
function postOnNewConnection(url: string, query: string): Promise<{ status: number; lane: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, lane: res.headers['x-eior-lane'] as string | undefined, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

describe.each(['on', 'off'])('eior serve --workers 2, priority worker %s', (priorityWorker) => {
  const tmp = tempDir('serve-workers');
  afterAll(() => tmp.remove());

  it('serves from two processes on one port, exports through either, and stops on SIGINT', async () => {
    const env = { ...process.env, EIOR_HOME: path.join(tmp.dir, 'home'), EIOR_BI_SQL_PORT: '0', EIOR_LOG_LEVEL: 'warn', EIOR_API_PRIORITY_WORKER: priorityWorker };
    const child = startCli(['serve', '--port', '0', '--workers', '2', '--json'], env);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const urls = await new Promise<{ graphql: string; exports: string; workers: number; mixSchedule: string | null; mixGroup: string | null }>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        stdout += d;
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect(urls.workers).toBe(2);
    expect(urls.mixSchedule).toBe(priorityWorker === 'on' ? 'SCHED_IDLE' : null);
    const grouped = priorityWorker === 'on' && machineAllowsGroups();
    expect(urls.mixGroup === null).toBe(!grouped);
    /** Whether process `pid` is in the mix workers' CPU group. */
    const inGroup = (pid: number) => urls.mixGroup !== null && cpuGroupFolder(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), '/sys/fs/cgroup/cpu') === urls.mixGroup;
    /** The scheduling policies of every thread of `pid`, each once. */
    const policies = (pid: number) => [...new Set(processSchedule(pid).map((t) => t.policy))];
    const base = urls.graphql.replace('/graphql', '');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const pids = new Set<number>();
      for (let k = 0; k < 40 && pids.size < 2; k++) pids.add((JSON.parse((await getOnNewConnection(`${base}/health`)).body) as { pid: number }).pid);
      const workers = childrenOf(child.pid!);
      const nice = os.getPriority();
      if (priorityWorker === 'on') {
        // the priority worker answers /health itself at the primary's (this test's) priority; the other two run 10 lower
        expect(pids.size).toBe(1);
        expect(workers).toHaveLength(3);
        const [entry] = [...pids];
        expect(workers).toContain(entry);
        expect(workers.map((pid) => os.getPriority(pid)).sort()).toEqual([nice, Math.min(19, nice + 10), Math.min(19, nice + 10)].sort());
        expect(os.getPriority(entry)).toBe(nice);
        expect(policies(entry)).toEqual(['SCHED_OTHER']);
        for (const pid of workers.filter((w) => w !== entry)) expect(policies(pid)).toEqual(['SCHED_IDLE']);
        expect(workers.map((pid) => inGroup(pid)).sort()).toEqual(grouped ? [false, true, true] : [false, false, false]);
      } else {
        // node:cluster hands connections to both
        expect(pids.size).toBe(2);
        expect(workers.sort()).toEqual([...pids].sort());
        for (const pid of pids) expect(os.getPriority(pid)).toBe(nice);
      }
      const recommendations = await postOnNewConnection(urls.graphql, '{ recommendations(dataset: "nothing-here", userId: "1") { edges { cursor } } }');
      const datasets = await postOnNewConnection(urls.graphql, '{ datasets { name } }');
      expect([recommendations.lane, datasets.lane]).toEqual(priorityWorker === 'on' ? ['priority', 'mix'] : [undefined, undefined]);
      // whichever process answers, the answer is the API's: an unknown dataset is NOT_FOUND, the datasets a list
      expect(recommendations.status).toBe(404);
      expect(JSON.parse(recommendations.body).errors[0].extensions.code).toBe('NOT_FOUND');
      expect(Array.isArray(JSON.parse(datasets.body).data.datasets)).toBe(true);
      const tooLarge = await postOnNewConnection(urls.graphql, 'x'.repeat(1_100_000));
      expect([tooLarge.status, JSON.parse(tooLarge.body).errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      for (let k = 0; k < 6; k++) {
        const res = await getOnNewConnection(urls.exports);
        expect(res.status).toBe(200);
        expect((JSON.parse(res.body) as { tables: { name: string }[] }).tables.map((t) => t.name)).toContain('recommendations');
      }
      // a worker killed while serving is started again in its place, and the API answers through it
      const victims = priorityWorker === 'on' ? [workers.find((pid) => !pids.has(pid))!, [...pids][0]] : [workers[0]];
      for (const pid of victims) process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 60_000;
      let after: number[] = [];
      let answered = false;
      while (Date.now() < deadline && !answered) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = childrenOf(child.pid!);
        if (after.length !== workers.length || victims.some((pid) => after.includes(pid))) continue;
        // every mix worker has to answer: ask until both have (the priority worker spreads over them)
        const answers = await Promise.all([0, 1, 2, 3].map(() => postOnNewConnection(urls.graphql, '{ datasets { name } }').catch(() => null)));
        answered = answers.every((a) => a?.status === 200);
      }
      expect(answered).toBe(true);
      expect(stderr).toMatch(/API worker \d exited \(SIGKILL\) while serving: starting another in its place/);
      if (priorityWorker === 'on') {
        expect(after.map((pid) => os.getPriority(pid)).sort()).toEqual([nice, Math.min(19, nice + 10), Math.min(19, nice + 10)].sort());
        expect(after.map((pid) => policies(pid).join()).sort()).toEqual(['SCHED_IDLE', 'SCHED_IDLE', 'SCHED_OTHER']);
        // the mix worker started in a killed one's place joins the group too
        expect(after.map((pid) => inGroup(pid)).sort()).toEqual(grouped ? [false, true, true] : [false, false, false]);
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    if (urls.mixGroup) expect(existsSync(urls.mixGroup)).toBe(false);
    await expect(getOnNewConnection(`${base}/health`)).rejects.toThrow();
  });

  it('fails with the reason, and leaves no worker running, when its port is taken', async () => {
    const home = path.join(tmp.dir, 'taken');
    const env = { ...process.env, EIOR_HOME: home, EIOR_BI_SQL_PORT: '0', EIOR_LOG_LEVEL: 'warn', EIOR_API_PRIORITY_WORKER: priorityWorker };
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      // before the fix the workers that did start stayed up and serve never returned
      const run = await runCli(['serve', '--port', String(port), '--workers', '2'], env);
      expect(run.code).toBe(1);
      // the front's own listen says "listen EADDRINUSE: address already in use ADDR"; node:cluster's shared one "bind EADDRINUSE ADDR"
      expect(run.stderr).toMatch(new RegExp(`API worker \\d could not start serving: (listen|bind) EADDRINUSE.* 127\\.0\\.0\\.1:${port}\\n`));
      expect(processesWithHome(home)).toEqual([]);
    } finally {
      squatter.close();
    }
  });
});
