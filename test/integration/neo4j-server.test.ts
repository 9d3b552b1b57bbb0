// The project's own Neo4j, end to end: a real JVM on its own temporary store and port (not the one the other
// integration tests share), driven through startLocalNeo4j / localNeo4jStatus / stopLocalNeo4j.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import {
  LocalNeo4jStarted, localNeo4jStatus, startLocalNeo4j, stopLocalNeo4j,
} from '../../libs/graph/src/server';
import { tempDir } from '../helpers/temp-dir';

/** Beside the shared test server (7697) and a developer's own (7687). */
const PORT = 7698;
const SIZES = { heap: '512m', pageCache: '64m' };

/** Alive and not a zombie: the JVM is this worker's child until libuv reaps it. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

async function returnOne(uri: string): Promise<number> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', ''));
  try {
    const res = await driver.executeQuery('RETURN 1 AS one');
    return (res.records[0].get('one') as { toNumber(): number }).toNumber();
  } finally {
    await driver.close();
  }
}

/** A plain TCP listener on a free port: "something else" holding the port a start asks for. */
function occupyPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('local Neo4j server', () => {
  const home = tempDir('neo4j-server');
  let started: LocalNeo4jStarted;

  afterAll(async () => {
    await stopLocalNeo4j({ home: home.dir });
    home.remove();
  });

  it('starts, says where it listens, and answers Cypher over Bolt; a start racing it finds the same server', async () => {
    const stages: string[] = [];
    const [first, racing] = await Promise.all([
      startLocalNeo4j({ home: home.dir, port: PORT, ...SIZES, onProgress: (_line, p) => stages.push(p.stage) }),
      startLocalNeo4j({ home: home.dir, port: PORT, ...SIZES, onProgress: (_line, p) => stages.push(p.stage) }),
    ]);
    // which of the two takes the start lock first is up to the scheduler: one starts the server, the other finds it
    expect([first.alreadyRunning, racing.alreadyRunning].sort()).toEqual([false, true]);
    started = first.alreadyRunning ? racing : first;
    const found = first.alreadyRunning ? first : racing;
    expect(started).toMatchObject({ uri: `bolt://127.0.0.1:${PORT}`, alreadyRunning: false });
    expect(found).toMatchObject({ uri: started.uri, pid: started.pid, alreadyRunning: true });
    expect(isAlive(started.pid)).toBe(true);
    expect(stages).toEqual(expect.arrayContaining(['spawn', 'verify', 'ready']));
    expect(await returnOne(started.uri)).toBe(1);
    expect(existsSync(path.join(home.dir, 'neo4j.pid'))).toBe(true);
    expect(existsSync(path.join(home.dir, 'data', 'databases', 'neo4j'))).toBe(true);
  });

  it('finds the running server on a second start instead of starting another', async () => {
    const again = await startLocalNeo4j({ home: home.dir, port: PORT, ...SIZES });
    expect(again).toMatchObject({ uri: started.uri, pid: started.pid, alreadyRunning: true });
  });

  it('refuses a second start of the same store on another port, naming the running one', async () => {
    await expect(startLocalNeo4j({ home: home.dir, port: PORT + 10, ...SIZES })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`already runs on port ${PORT} (pid ${started.pid})`),
    });
  });

  it('reports the running server in its status', async () => {
    const status = await localNeo4jStatus({ home: home.dir, port: PORT });
    expect(status).toMatchObject({ running: true, state: 'running', pid: started.pid, uri: started.uri, portBusy: false });
  });

  it('stops the server: the JVM exits, the pid file goes and the status says stopped', async () => {
    const stopped = await stopLocalNeo4j({ home: home.dir });
    expect(stopped).toMatchObject({ wasRunning: true, pid: started.pid, killed: false });
    expect(isAlive(started.pid)).toBe(false);
    expect(existsSync(path.join(home.dir, 'neo4j.pid'))).toBe(false);
    expect(await localNeo4jStatus({ home: home.dir, port: PORT })).toMatchObject({ running: false, state: 'stopped', pid: undefined });
    expect(readFileSync(path.join(home.dir, 'launcher.log'), 'utf8')).toContain('EIOR_NEO4J_STOPPED');
  });

  it('says there is nothing to stop when the server is not running', async () => {
    const stopped = await stopLocalNeo4j({ home: home.dir });
    expect(stopped.wasRunning).toBe(false);
    expect(stopped.message).toMatch(/no local Neo4j is running .*nothing to stop/);
  });

  it('fails with a clear error when another process holds the port', async () => {
    const other = await occupyPort();
    const busyPort = (other.address() as net.AddressInfo).port;
    const busyHome = tempDir('neo4j-busy');
    try {
      await expect(startLocalNeo4j({ home: busyHome.dir, port: busyPort, ...SIZES })).rejects.toMatchObject({
        code: 'SERVER_START_FAILED',
        message: expect.stringContaining(`port ${busyPort} on 127.0.0.1 is already in use by another process`),
      });
      expect(await localNeo4jStatus({ home: busyHome.dir, port: busyPort })).toMatchObject({ running: false, portBusy: true });
      expect(existsSync(path.join(busyHome.dir, 'neo4j.pid'))).toBe(false);
    } finally {
      await new Promise((resolve) => other.close(resolve));
      busyHome.remove();
    }
  });
});
