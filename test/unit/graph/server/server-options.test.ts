import path from 'node:path';
import { launcherClasspath, launcherPaths } from '../../../../libs/graph/src/server/launcher-build';
import { boltUri, validateStartOptions } from '../../../../libs/graph/src/server/server-options';

const GOOD = { home: 'rel/home', port: 7687, heap: '1g', pageCache: '256m' };

describe('validateStartOptions', () => {
  it('resolves the home folder and fills in the start timeout', () => {
    expect(validateStartOptions(GOOD)).toEqual({
      home: path.resolve('rel/home'), port: 7687, heap: '1g', pageCache: '256m', startTimeoutMs: 180_000,
    });
  });

  it.each([
    [{ port: 0 }, 'port 0 is not valid: expected an integer from 1 to 65535'],
    [{ port: 65536 }, 'port 65536 is not valid'],
    [{ port: 7687.5 }, 'port 7687.5 is not valid'],
    [{ heap: '1 g' }, 'heap "1 g" is not valid: expected a size like 256m or 1g'],
    [{ heap: '0m' }, 'heap "0m" is not valid'],
    [{ pageCache: '256mb' }, 'pageCache "256mb" is not valid'],
    [{ home: ' ' }, 'home " " is not valid: expected a folder path'],
    [{ startTimeoutMs: 0 }, 'startTimeoutMs 0 is not valid: expected a positive number'],
  ])('rejects %j with a message naming the value', (bad, message) => {
    expect(() => validateStartOptions({ ...GOOD, ...bad })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining(message) }));
  });
});

describe('boltUri', () => {
  it('points at the loopback address the launcher binds', () => {
    expect(boltUri(7698)).toBe('bolt://127.0.0.1:7698');
  });
});

describe('launcherPaths', () => {
  it('finds libs/graph/launcher from the package source', () => {
    const paths = launcherPaths();
    expect(paths.dir).toBe(path.resolve(__dirname, '..', '..', '..', '..', 'libs', 'graph', 'launcher'));
    expect(paths.compiledClass).toBe(path.join(paths.dir, 'target', 'classes', 'eior', 'Neo4jLauncher.class'));
    expect(paths.source).toBe(path.join(paths.dir, 'src', 'main', 'java', 'eior', 'Neo4jLauncher.java'));
  });

  it('puts the compiled class and every jar of lib/ on the classpath', () => {
    const paths = launcherPaths('/x/launcher');
    expect(launcherClasspath(paths)).toBe(['/x/launcher/target/classes', '/x/launcher/lib/*'].join(path.delimiter));
  });
});
