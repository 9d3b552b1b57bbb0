// The dataset gate answers known names from the last list at once (re-reading an old list in the background) and
// makes only unknown names wait for a fresh one, read at most once a second; a schedule worked out by hand on a
// clock the test moves and reads the test finishes.
import { DatasetAccess } from '../../../apps/api/src/security/dataset-access';

type Row = { name: string; status: string };

function controlledReads() {
  const pending: { resolve: (rows: Row[]) => void; reject: (err: Error) => void }[] = [];
  const read = () => new Promise<Row[]>((resolve, reject) => pending.push({ resolve, reject }));
  return { read, pending };
}

const settled = async <T>(p: Promise<T>): Promise<{ value?: T; error?: unknown; done: boolean }> => {
  const state: { value?: T; error?: unknown; done: boolean } = { done: false };
  p.then((value) => Object.assign(state, { value, done: true }), (error: unknown) => Object.assign(state, { error, done: true }));
  for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
  return state;
};

describe('DatasetAccess', () => {
  it('waits for the graph only for names the last list does not know', async () => {
    let t = 0;
    const { read, pending } = controlledReads();
    const access = new DatasetAccess(null as never, read, () => t);

    // no list yet: the first request waits for read 1
    const first = access.require('g', null);
    expect((await settled(first)).done).toBe(false);
    pending[0].resolve([{ name: 'g', status: 'complete' }, { name: 'p', status: 'partial' }]);
    expect(await first).toBe('g');

    // an unknown name within 1 s of read 1: the same list, no read
    t = 500;
    await expect(access.require('x', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(pending).toHaveLength(1);

    // at 1.5 s: 'x' waits for read 2, while 'g' is answered at once from read 1
    t = 1_500;
    const x = access.require('x', null);
    expect(await access.require('g', null)).toBe('g');
    expect((await settled(x)).done).toBe(false);
    expect(pending).toHaveLength(2);
    pending[1].resolve([{ name: 'g', status: 'complete' }, { name: 'x', status: 'complete' }]);
    expect(await x).toBe('x');

    // 10 s after read 2 started: 'g' at once, and one background read 3 for both requests
    t = 11_500;
    expect(await access.require('g', null)).toBe('g');
    expect(await access.require('x', null)).toBe('x');
    expect(pending).toHaveLength(3);
    pending[2].resolve([{ name: 'x', status: 'complete' }]);
    await settled(Promise.resolve());
    // read 3 no longer has 'g': NOT_FOUND (from read 3, started within the last second)
    t = 11_600;
    await expect(access.require('g', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(pending).toHaveLength(3);
  });

  it('refuses bad names, names outside the key and partial datasets without reading more than needed', async () => {
    let t = 0;
    const { read, pending } = controlledReads();
    const access = new DatasetAccess(null as never, read, () => t);
    await expect(access.require('../etc', null)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(access.require('g', new Set(['h']))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('for this API key') });
    expect(pending).toHaveLength(0);
    const p = access.require('p', null);
    pending[0].resolve([{ name: 'p', status: 'partial' }]);
    await expect(p).rejects.toMatchObject({ code: 'CONFLICT' });
    // a failed read: the request gets its error, the last list stays, the next request after 1 s reads again
    t = 2_000;
    const q = access.require('q', null);
    pending[1].reject(new Error('graph down'));
    await expect(q).rejects.toThrow('graph down');
    await expect(access.require('p', null)).rejects.toMatchObject({ code: 'CONFLICT' });
    t = 3_000;
    const again = access.require('q', null);
    expect(pending).toHaveLength(3);
    pending[2].resolve([{ name: 'q', status: 'complete' }]);
    expect(await again).toBe('q');
  });
});
