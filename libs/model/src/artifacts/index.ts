export * from './manifest';
export * from './artifact-store';
