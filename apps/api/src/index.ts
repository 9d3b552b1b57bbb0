// @eior/api: the GraphQL API and the BI endpoints (`eior serve` starts it), and the serving loader that `eior explain`
// shares with it.
export * from './app';
export * from './config';
// for `eior serve --workers N`: the mix workers' schedule
export { openMixGroup, type CpuGroup } from './cpu-group';
export { lowerNice, parseProcStat, processSchedule, readThreadSchedule, schedIdle, type ProcStat, type ThreadSchedule } from './cpu-schedule';
export { LANE_HEADER } from './http/forward';
export * from './errors';
export * from './logger';
export * from './security/api-keys';
export { StaleModelError, artifactStoreFor, loadServingModel } from './serving/load-serving-model';
export { ServingModel } from './serving/serving-model';
export { schemaText } from './schema/build-schema';
// for `eior datasets delete`: a deleted dataset's rows leave an external BI PostgreSQL too
export { BI_TABLES, openExternalBiStore } from './bi';
export * from './serving/current-version';
