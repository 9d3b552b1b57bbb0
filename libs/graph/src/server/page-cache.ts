// The page cache the project's own Neo4j gets when nobody names one (EIOR_NEO4J_PAGECACHE): a share of the memory
// the machine has available at start, between a floor and a cap, with the reason in words for the start to print.
import os from 'node:os';

/** Share of the available memory: this Neo4j serves one product, but the machine runs its API, training and more. */
export const PAGE_CACHE_SHARE = 0.25;
/** Floor: the size every start had before the cache was sized from the machine. */
export const MIN_PAGE_CACHE_MB = 256;
/**
 * Cap: holds the store of 20,000,000 events (two datasets of 10,000,000 in `bench:events`: 2.3 GB) with room
 * to grow; Neo4j allocates the cache as pages are read, so an unused part costs nothing.
 */
export const MAX_PAGE_CACHE_MB = 4096;

export interface PageCacheChoice {
  /** In the launcher's syntax, e.g. "4096m". */
  size: string;
  /** How it was chosen, for a person: "4096m (a quarter of 20.1 GB available, at most 4096m)". */
  reason: string;
}

/** The default page cache for `availableBytes` of available memory (os.freemem(): MemAvailable on Linux). */
export function defaultPageCache(availableBytes: number = os.freemem()): PageCacheChoice {
  const shareMb = Math.floor((availableBytes * PAGE_CACHE_SHARE) / 2 ** 20);
  const mb = Math.min(MAX_PAGE_CACHE_MB, Math.max(MIN_PAGE_CACHE_MB, shareMb));
  const available = `${(availableBytes / 2 ** 30).toFixed(1)} GB available`;
  const bound = mb === MAX_PAGE_CACHE_MB ? `, at most ${MAX_PAGE_CACHE_MB}m` : mb === MIN_PAGE_CACHE_MB ? `, at least ${MIN_PAGE_CACHE_MB}m` : '';
  return { size: `${mb}m`, reason: `${mb}m (a quarter of ${available}${bound}; set EIOR_NEO4J_PAGECACHE to choose)` };
}
