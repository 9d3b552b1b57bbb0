// @eior/api: the GraphQL API and the BI endpoints. `eior serve` starts it.
export * from './app';
export * from './config';
export * from './errors';
export * from './logger';
export * from './security/api-keys';
export { schemaText } from './schema/build-schema';
// for `eior datasets delete`: a deleted dataset's rows leave an external BI PostgreSQL too
export { BI_TABLES, openExternalBiStore } from './bi';
