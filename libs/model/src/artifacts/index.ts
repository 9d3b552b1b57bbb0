export * from './manifest';
export * from './artifact-store';
export * from './extra-weights';
export * from './metric-table';
export * from './popularity-floor';
