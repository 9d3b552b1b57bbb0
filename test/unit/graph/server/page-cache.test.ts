// defaultPageCache: a quarter of the available memory, at least 256m and at most 4096m, with the reason in words.
import { defaultPageCache } from '../../../../libs/graph/src/server/page-cache';

const GIB = 2 ** 30;

describe('defaultPageCache', () => {
  it('takes a quarter of the available memory between the floor and the cap', () => {
    expect(defaultPageCache(6 * GIB)).toEqual({ size: '1536m', reason: '1536m (a quarter of 6.0 GB available; set EIOR_NEO4J_PAGECACHE to choose)' });
    // 3,000,000,000 bytes / 4 = 750,000,000 bytes = 715.3 MiB, rounded down
    expect(defaultPageCache(3_000_000_000).size).toBe('715m');
  });

  it('caps the share at 4096m on a machine with much memory free', () => {
    expect(defaultPageCache(20 * GIB)).toEqual({ size: '4096m', reason: '4096m (a quarter of 20.0 GB available, at most 4096m; set EIOR_NEO4J_PAGECACHE to choose)' });
  });

  it('keeps 256m where a quarter would be less', () => {
    expect(defaultPageCache(GIB / 2)).toEqual({ size: '256m', reason: '256m (a quarter of 0.5 GB available, at least 256m; set EIOR_NEO4J_PAGECACHE to choose)' });
  });
});
