// @eior/api: the GraphQL API and the BI endpoints. `eior serve` starts it.
export * from './app';
export * from './config';
export * from './errors';
export * from './logger';
export * from './security/api-keys';
export { schemaText } from './schema/build-schema';
export * from './serving/current-version';
