import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../../../../libs/graph/src/server/file-lock';
import { tempDir } from '../../../helpers/temp-dir';

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('withFileLock', () => {
  const dir = tempDir('file-lock');
  const lock = path.join(dir.dir, 'x.lock');
  afterAll(() => dir.remove());

  it('runs two holders one after the other, never together, and removes the lock', async () => {
    const events: string[] = [];
    const holder = (name: string) => withFileLock(lock, 'the test lock', async () => {
      events.push(`${name} in`);
      await tick();
      events.push(`${name} out`);
      return name;
    });
    expect(await Promise.all([holder('a'), holder('b')])).toEqual(['a', 'b']);
    // Either may win the lock; the other must wait until the winner is out.
    const [first, second] = events[0] === 'a in' ? ['a', 'b'] : ['b', 'a'];
    expect(events).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock left by a process that has died', async () => {
    writeFileSync(lock, `${spawnSync('true').pid}\n`);
    expect(await withFileLock(lock, 'the test lock', async () => 'mine', 2000)).toBe('mine');
  });

  it('gives up with a message naming the holder when a live one keeps the lock too long', async () => {
    writeFileSync(lock, `${process.ppid}\n`);
    await expect(withFileLock(lock, 'the test lock', async () => 'never', 300)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`the test lock is held by another process (pid ${process.ppid}`),
    });
  });
});
