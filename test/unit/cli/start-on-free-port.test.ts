// `eior serve --port 0 --workers N`: the free port the primary picks can be taken before the workers listen on it; a
// start that fails with EADDRINUSE (the worker's error code) gets another port, at most three starts in all, and any other failure ends it at
// once. Fake pick and start functions stand for the ports and the workers.
import { createServer, type AddressInfo } from 'node:net';
import { WorkerStartError, startOnFreePort, workerFailed } from '../../../apps/cli/src/serve/serve-cluster';

describe('startOnFreePort', () => {
  // what Node's listen() throws for a taken port, as the worker reports it to the primary
  const listenError = (port: number) => Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), { code: 'EADDRINUSE' });
  const taken = (port: number) => new WorkerStartError(3, workerFailed(listenError(port)));
  let errors: jest.SpyInstance;
  beforeEach(() => (errors = jest.spyOn(console, 'error').mockImplementation(() => undefined)));
  afterEach(() => errors.mockRestore());

  it('tries another port when the first was taken meanwhile', async () => {
    const ports = [41265, 41266];
    const tried: number[] = [];
    const served = await startOnFreePort(
      async () => ports.shift()!,
      async (port) => {
        tried.push(port);
        if (port === 41265) throw taken(port);
        return `serving on ${port}`;
      },
    );
    expect(served).toBe('serving on 41266');
    expect(tried).toEqual([41265, 41266]);
    expect(errors).toHaveBeenCalledWith('port 41265 was taken before the API workers listened on it: trying another');
  });

  it('gives up after three starts, with the last reason', async () => {
    let next = 50000;
    const start = jest.fn(async (port: number) => Promise.reject(taken(port)));
    await expect(startOnFreePort(async () => next++, start)).rejects.toThrow('address already in use 127.0.0.1:50002');
    expect(start).toHaveBeenCalledTimes(3);
  });

  it("reads the code from Node's own error for a taken port", async () => {
    const first = createServer();
    await new Promise<void>((resolve) => first.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    const { port } = first.address() as AddressInfo;
    const second = createServer();
    const err = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen({ host: '127.0.0.1', port });
    });
    await new Promise((resolve) => first.close(resolve));
    expect(workerFailed(err)).toEqual({ type: 'failed', message: `listen EADDRINUSE: address already in use 127.0.0.1:${port}`, code: 'EADDRINUSE' });
  });

  it('goes by the error code, not by the words of the message', async () => {
    const other = new WorkerStartError(2, workerFailed(new Error('the model file names EADDRINUSE but is just corrupt')));
    expect(other.code).toBeNull();
    const start = jest.fn(async () => Promise.reject(other));
    await expect(startOnFreePort(async () => 50000, start)).rejects.toThrow('API worker 2 could not start serving: the model file names EADDRINUSE');
    expect(start).toHaveBeenCalledTimes(1);
    expect(taken(1).code).toBe('EADDRINUSE');
  });

  it('does not try again after any other failure', async () => {
    const start = jest.fn(async () => Promise.reject(new Error('API worker 1 exited with code 1 before serving (see its messages above)')));
    await expect(startOnFreePort(async () => 50000, start)).rejects.toThrow('exited with code 1');
    expect(start).toHaveBeenCalledTimes(1);
  });
});
