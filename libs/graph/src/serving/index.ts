export * from './catalogue-reads';
export * from './feedback';
export * from './interactions-per-day';
export * from './loaders';
export * from './events-per-day';
