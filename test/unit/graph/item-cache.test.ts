// Items' feedback counts: fresh for the TTL, answered at once (with one background read) up to twice the TTL, waited
// for beyond, and never kept from a read that a write of this process overtook; a hand-worked schedule on a clock
// the test moves, with reads the test finishes.
import { ItemCache } from '../../../libs/graph/src/serving/loaders';

describe('ItemCache.feedbackCounts', () => {
  it('serves counts up to 2 x TTL old while one read refreshes them', async () => {
    let t = 0;
    const cache = new ItemCache(2_000, 100, () => t);
    const reads: ((counts: Map<number, number>) => void)[] = [];
    const read = () => new Promise<Map<number, number>>((resolve) => reads.push(resolve));
    const counts = (p: Promise<Map<number, number>>) => p.then((m) => m.get(1));
    const turns = async () => {
      for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
    };

    // t=0: none yet: two requests share read 1
    const a = counts(cache.feedbackCounts('g', 'fp', read));
    const b = counts(cache.feedbackCounts('g', 'fp', read));
    expect(reads).toHaveLength(1);
    reads[0](new Map([[1, 5]]));
    expect([await a, await b]).toEqual([5, 5]);

    // t=1,000: fresh (age 1,000 <= 2,000): no read
    t = 1_000;
    expect(await counts(cache.feedbackCounts('g', 'fp', read))).toBe(5);
    expect(reads).toHaveLength(1);

    // t=2,500: age 2,500 (over the TTL, within 2 x): 5 at once, one read 2 for two requests
    t = 2_500;
    expect(await counts(cache.feedbackCounts('g', 'fp', read))).toBe(5);
    expect(await counts(cache.feedbackCounts('g', 'fp', read))).toBe(5);
    expect(reads).toHaveLength(2);
    reads[1](new Map([[1, 6]]));
    await turns();
    t = 3_000;
    expect(await counts(cache.feedbackCounts('g', 'fp', read))).toBe(6); // read 2 started at 2,500: fresh
    expect(reads).toHaveLength(2);

    // t=7,000: age 4,500 > 4,000: the request waits for read 3
    t = 7_000;
    const waited = counts(cache.feedbackCounts('g', 'fp', read));
    expect(reads).toHaveLength(3);
    reads[2](new Map([[1, 7]]));
    expect(await waited).toBe(7);

    // t=9,600: 7 at once and read 4 starts; then this process writes: read 4 may miss the write, so the next
    // request waits for read 5, and read 4's answer is not kept
    t = 9_600;
    expect(await counts(cache.feedbackCounts('g', 'fp', read))).toBe(7);
    cache.forgetFeedback('g');
    const afterWrite = counts(cache.feedbackCounts('g', 'fp', read));
    expect(reads).toHaveLength(5);
    reads[3](new Map([[1, 8]]));
    reads[4](new Map([[1, 9]]));
    expect(await afterWrite).toBe(9);
    t = 9_700;
    expect(await counts(cache.feedbackCounts('g', 'fp', read))).toBe(9);
    expect(reads).toHaveLength(5);
  });
});
