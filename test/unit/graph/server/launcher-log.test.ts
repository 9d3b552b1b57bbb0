import { parseLauncherLog, tailLines } from '../../../../libs/graph/src/server/launcher-log';

describe('parseLauncherLog', () => {
  it('is pending while the JVM has printed only warnings', () => {
    expect(parseLauncherLog('')).toEqual({ state: 'pending' });
    expect(parseLauncherLog('WARNING: sun.reflect.Reflection.getCallerClass is not supported.\n')).toEqual({ state: 'pending' });
  });

  it('reads the Bolt URI from the ready line', () => {
    const log = 'WARNING: something\nEIOR_NEO4J_READY bolt://127.0.0.1:7698\n';
    expect(parseLauncherLog(log)).toEqual({ state: 'ready', uri: 'bolt://127.0.0.1:7698' });
  });

  it('reads the reason from the failed line', () => {
    const log = 'EIOR_NEO4J_FAILED Neo4j did not start on 127.0.0.1:7698: port 7698 on 127.0.0.1 is already in use by another process; details in /h/logs/debug.log\n';
    expect(parseLauncherLog(log)).toEqual({
      state: 'failed',
      reason: 'Neo4j did not start on 127.0.0.1:7698: port 7698 on 127.0.0.1 is already in use by another process; details in /h/logs/debug.log',
    });
  });

  it('does not take a line that merely mentions the marker for the ready line', () => {
    expect(parseLauncherLog('echo EIOR_NEO4J_READY bolt://x\nEIOR_NEO4J_READYX\n')).toEqual({ state: 'pending' });
  });

  it('reports the ready line of a log that goes on to say the server stopped', () => {
    expect(parseLauncherLog('EIOR_NEO4J_READY bolt://127.0.0.1:7687\nEIOR_NEO4J_STOPPED\n')).toEqual({ state: 'ready', uri: 'bolt://127.0.0.1:7687' });
  });
});

describe('tailLines', () => {
  it('keeps the last non-empty lines in order', () => {
    expect(tailLines('a\n\nb\nc\n\n', 2)).toBe('b\nc');
    expect(tailLines('a\nb', 5)).toBe('a\nb');
    expect(tailLines('', 3)).toBe('');
  });
});
