// The graph statistics of a model load made in a worker thread: the same bits as computeGraphStats in this thread,
// the calling thread's event loop turning while they are made, and errors passed back with their code.
import { ModelError, Random, computeGraphStats, type EdgeList, type GraphStats } from '@eior/model';
import { GraphStatsThread } from '../../../apps/api/src/serving/graph-stats-thread';

/** `count` random edges (duplicates included) between `numUsers` users and `numItems` items. */
function randomEdges(numUsers: number, numItems: number, count: number, seed: number): EdgeList {
  const rng = new Random(seed);
  const users = new Int32Array(count);
  const items = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    users[e] = rng.nextInt(numUsers);
    items[e] = Math.min(numItems - 1, Math.floor(numItems * rng.nextFloat() ** 2)); // popular items first
  }
  return { users, items };
}

/** Every array of the statistics as bytes, by name. */
function bytesOf(stats: GraphStats): Record<string, Buffer> {
  const arrays = { offsets: stats.userItems.offsets, cols: stats.userItems.cols, userDegree: stats.userDegree, itemDegree: stats.itemDegree, betaUser: stats.betaUser, betaItem: stats.betaItem, neighbors: stats.neighbors, neighborWeights: stats.neighborWeights };
  return Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, Buffer.from(a.buffer, a.byteOffset, a.byteLength)]));
}

describe('GraphStatsThread', () => {
  const thread = new GraphStatsThread();
  afterAll(async () => {
    await thread.close();
  });

  it('computes the statistics computeGraphStats gives in this thread, bit for bit, and leaves the edges as they were', async () => {
    const train = randomEdges(300, 120, 4000, 5);
    const before = Buffer.from(train.users.buffer).toString('base64');
    for (const options of [{ iiNeighborNum: 10, iiDiagonalZero: false }, { iiNeighborNum: 7, iiDiagonalZero: true }]) {
      const apart = await thread.compute(300, 120, train, options);
      const here = computeGraphStats(300, 120, train, options);
      expect([apart.numUsers, apart.numItems, apart.neighborNum, apart.userItems.numRows, apart.userItems.numCols]).toEqual([300, 120, options.iiNeighborNum, 300, 120]);
      expect(bytesOf(apart)).toEqual(bytesOf(here));
    }
    expect(Buffer.from(train.users.buffer).toString('base64')).toBe(before);
    expect(thread.computed).toBe(2);
  });

  it('lets the calling thread run while it computes', async () => {
    const train = randomEdges(4000, 300, 200000, 6); // Σ_u d_u² of about 10^7: many milliseconds of work
    let turns = 0;
    let done = false;
    const ticking = (async () => {
      while (!done) {
        await new Promise((r) => setImmediate(r));
        turns++;
      }
    })();
    await thread.compute(4000, 300, train, { iiNeighborNum: 10, iiDiagonalZero: false });
    done = true;
    await ticking;
    // computed in this thread, the statistics would be ready before the event loop turned once
    expect(turns).toBeGreaterThan(1);
  });

  it('passes an error back as a ModelError with its code and message, and keeps working', async () => {
    const bad = { users: Int32Array.of(0, 1, 5), items: Int32Array.of(0, 1, 1) };
    const err = await thread.compute(3, 2, bad, { iiNeighborNum: 2, iiDiagonalZero: false }).then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect([(err as ModelError).code, err?.message]).toEqual(['BAD_USER_INPUT', 'train: edge 2 has user 5; expected 0..2']);
    const ok = await thread.compute(3, 2, { users: Int32Array.of(0, 2), items: Int32Array.of(1, 1) }, { iiNeighborNum: 1, iiDiagonalZero: false });
    expect(Array.from(ok.itemDegree)).toEqual([0, 2]);
  });

  it('refuses work once closed', async () => {
    const closed = new GraphStatsThread();
    await closed.compute(1, 1, { users: Int32Array.of(0), items: Int32Array.of(0) }, { iiNeighborNum: 1, iiDiagonalZero: false });
    await closed.close();
    await expect(closed.compute(1, 1, { users: Int32Array.of(0), items: Int32Array.of(0) }, { iiNeighborNum: 1, iiDiagonalZero: false })).rejects.toThrow('the graph-statistics thread is closed');
  });
});
