export * from './manifest';
export * from './artifact-store';
export * from './popularity-floor';
