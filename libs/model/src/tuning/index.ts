export * from './search-space';
export * from './hyperband';
export * from './hyperband-driver';
export * from './tune-ultragcn';
