// The BI surface of the API: the table catalogue, the stores (embedded PGlite or external PostgreSQL), the
// read-only PostgreSQL-protocol endpoint and the CSV/JSON export routes.
export { BI_SCHEMA, BI_TABLES, findBiTable, requireBiTable, type BiColumn, type BiColumnType, type BiTable } from './bi-tables';
export { BI_READER_ROLE, DEFAULT_BUSY_TIMEOUT_MS, type BiStore } from './bi-store';
export { openEmbeddedBiStore, isEmbeddedBiStore, type EmbeddedBiStore, type EmbeddedBiStoreOptions } from './bi-embedded-store';
export { openExternalBiStore, type ExternalBiStoreOptions } from './bi-external-store';
export { BiSessionBusyError } from './bi-session';
export { openWorkerBiStore, isWorkerBiStore, type WorkerBiStore } from './bi-worker-store';
export type { BiThreadPriority } from './thread-priority';
export { startBiSqlServer, type BiSqlServer, type BiSqlServerOptions } from './bi-server';
export { createBiExportHandler, EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT, type BiExportHandler, type BiExportOptions } from './bi-export';
export { ApiActivity, BiYield, DEFAULT_MAX_WAIT_MS, type ApiActivityShared, type YieldCounts } from './api-activity';
