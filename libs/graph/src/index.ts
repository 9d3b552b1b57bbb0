// @eior/graph: Neo4j access for EIOR. Neo4j Integer, Node and Record never leave this package.
export * from './errors';
export * from './db/client';
export * from './db/schema';
export * from './ingest/layout';
export * from './ingest/inter-reader';
export * from './ingest/prepare';
export * from './ingest/ingest';
export * from './ingest/drop-dataset';
export * from './export/datasets';
export * from './export/training-export';
export * from './export/stats';
export * from './export/file-export';
export * from './server';
export * from './mmrec';
export * from './models/model-runs';
export * from './models/environments';
export * from './serving';
