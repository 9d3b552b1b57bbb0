import { spawnSync } from 'node:child_process';
import { isLauncherProcess, isProcessAlive, parsePidRecord, readPidFile, writePidFile } from '../../../../libs/graph/src/server/pid-file';
import { tempDir } from '../../../helpers/temp-dir';

describe('parsePidRecord', () => {
  it('reads a record written by the launcher start', () => {
    expect(parsePidRecord('{"pid":42,"port":7687,"startedAt":"2026-01-01T00:00:00.000Z"}\n'))
      .toEqual({ pid: 42, port: 7687, startedAt: '2026-01-01T00:00:00.000Z' });
  });

  it.each(['', '42', '{"pid":"42","port":7687}', '{"pid":0,"port":7687}', '{"pid":42}', 'null', '{"pid":4'])(
    'treats %j as no record',
    (text) => expect(parsePidRecord(text)).toBeUndefined(),
  );
});

describe('pid file', () => {
  const home = tempDir('pid-file');
  afterAll(() => home.remove());

  it('reads back what was written, and nothing when there is no file', async () => {
    expect(await readPidFile(home.dir)).toBeUndefined();
    await writePidFile(home.dir, { pid: 123, port: 7698, startedAt: 'now' });
    expect(await readPidFile(home.dir)).toEqual({ pid: 123, port: 7698, startedAt: 'now' });
  });
});

describe('isProcessAlive / isLauncherProcess', () => {
  it('tells a live process from one that has exited', async () => {
    expect(await isProcessAlive(process.pid)).toBe(true);
    const exited = spawnSync('true').pid as number;
    expect(await isProcessAlive(exited)).toBe(false);
  });

  it('does not take a live process that is not the launcher (a reused pid) for the launcher', async () => {
    expect(await isLauncherProcess(process.pid)).toBe(false);
  });
});
