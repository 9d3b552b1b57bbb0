// `eior serve --workers 2` as a person runs it: two processes answer on one port, /export is answered by either
// (worker 2 passes it to worker 1, which holds the BI store), and Ctrl-C stops them all.
import http from 'node:http';
import path from 'node:path';
import { startCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

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

describe('eior serve --workers 2', () => {
  const tmp = tempDir('serve-workers');
  afterAll(() => tmp.remove());

  it('serves from two processes on one port, exports through either, and stops on SIGINT', async () => {
    const env = { ...process.env, EIOR_HOME: path.join(tmp.dir, 'home'), EIOR_BI_SQL_PORT: '0', EIOR_LOG_LEVEL: 'warn' };
    const child = startCli(['serve', '--port', '0', '--workers', '2', '--json'], env);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const urls = await new Promise<{ graphql: string; exports: string; workers: number }>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        stdout += d;
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect(urls.workers).toBe(2);
    const base = urls.graphql.replace('/graphql', '');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const pids = new Set<number>();
      for (let k = 0; k < 40 && pids.size < 2; k++) pids.add((JSON.parse((await getOnNewConnection(`${base}/health`)).body) as { pid: number }).pid);
      expect(pids.size).toBe(2);
      for (let k = 0; k < 6; k++) {
        const res = await getOnNewConnection(urls.exports);
        expect(res.status).toBe(200);
        expect((JSON.parse(res.body) as { tables: { name: string }[] }).tables.map((t) => t.name)).toContain('recommendations');
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    await expect(getOnNewConnection(`${base}/health`)).rejects.toThrow();
  });
});
