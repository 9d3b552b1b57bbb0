// The project's own Neo4j 5 (Community, embedded in libs/graph/launcher): build, start, stop, status.
export * from './server-options';
export { startLocalNeo4j, stopLocalNeo4j, localNeo4jStatus } from './local-server';
export type { LocalNeo4jStarted, LocalNeo4jStopped, LocalNeo4jStatus } from './local-server';
export { ensureLauncherBuilt, launcherPaths } from './launcher-build';
export type { LauncherPaths, BuildStep } from './launcher-build';
export { portAnswers, verifyBolt } from './port-probe';
export type { BoltCredentials } from './port-probe';
export { defaultPageCache, PAGE_CACHE_SHARE, MIN_PAGE_CACHE_MB, MAX_PAGE_CACHE_MB } from './page-cache';
export type { PageCacheChoice } from './page-cache';
export { interruptedImport, readSwapMarker, recoverStoreSwap } from './store-swap';
export { isProcessAlive } from './pid-file';
export type { SwapMarker } from './store-swap';
