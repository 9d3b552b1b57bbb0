// The one place the API reads the environment: validated once at start, handed down as a typed object.
import path from 'node:path';
import { DEFAULT_MAX_WAIT_MS } from './bi/api-activity';
import { BI_THREAD_PRIORITIES, type BiThreadPriority } from './bi/thread-priority';
import { DEFAULT_WORK_GATE_LIMITS, type WorkGateLimits } from './http/work-gate';
import type { LogLevel } from './logger';

export interface ApiLimits {
  /** Deepest selection allowed (the full recommendations query with its explanations is 8 deep). */
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  /** graphql-armor's cost: objects 2, scalars 1, depth multiplies. */
  maxCost: number;
  /** Budget of an operation's root fields priced by what they do (schema/field-cost.rule.ts): a version comparison 5,000, drift 500. */
  maxFieldCost: number;
  maxDirectives: number;
  /** A request still running after this long gets a TIMEOUT error, ms. */
  requestTimeoutMs: number;
  /** Largest request body, bytes. */
  maxBodyBytes: number;
}

export interface ApiConfig {
  host: string;
  /** HTTP port of GraphQL, exports, /metrics, /health (0: any free port). */
  port: number;
  /** Processes `eior serve` runs on the port (node:cluster); each holds its own copy of the models. */
  workers: number;
  /**
   * With workers > 1: one more process (at the primary's scheduling priority, the N workers 10 nice levels below it)
   * owns the port, answers the cheap reads of the served models and passes the rest to the N workers
   * (http/priority-entry.ts). Off: node:cluster hands connections to the N workers.
   */
  priorityWorker: boolean;
  /**
   * How the mix workers behind the priority worker are scheduled: `idle` SCHED_IDLE and 10 nice levels lower (they
   * run when the priority worker leaves a core free, and give it up to it at once), `low` 10 nice levels lower only.
   */
  mixPriority: MixPriority;
  /**
   * The mix workers in a CPU control group of their own with the least weight (cpu-group.ts), where the process may
   * make one (Linux cgroup v1: root, or a delegated hierarchy), so that their CPU is not charged to the priority
   * worker's scheduling group (EIOR_API_MIX_GROUP, on by default).
   */
  mixGroup: boolean;
  /** Where `eior train` writes model versions: <modelsDir>/<dataset>. */
  modelsDir: string;
  /** The file of hashed API keys (`eior api-key create` adds to it). */
  apiKeysFile: string;
  /** `mutations`: a key is needed to write; `all`: a key is needed for every request. */
  auth: 'mutations' | 'all';
  introspection: boolean;
  limits: ApiLimits;
  /** Per process: operations not answered from memory running at once, and waiting (one more gets 429). */
  workGate: WorkGateLimits;
  /** How often to look for a newly current model version, ms. */
  modelPollMs: number;
  /** How long an item's feedback count may be served from memory, ms (its other fields never change). */
  itemFeedbackTtlMs: number;
  /** How often drift reports are rebuilt in the background, ms (0: only when a version starts serving). */
  driftRefreshMs: number;
  bi: {
    /** False: no BI tables, SQL endpoint or exports. */
    enabled: boolean;
    /** Port of the read-only PostgreSQL-protocol endpoint (0: any free port; null: off). */
    sqlPort: number | null;
    /** Write the BI tables into this PostgreSQL instead of the embedded one. */
    postgresUrl: string | null;
    /** Users per dataset whose top recommendations are written to the BI tables. */
    recommendationUsers: number;
    /** Folder of the embedded BI database (null: in memory; it is rebuilt at every start anyway). */
    dataDir: string | null;
    /** How often drift, interactions per day and model runs are re-published, ms (0: only on model changes). */
    refreshMs: number;
    /** CPU priority of the embedded store's thread: idle (SCHED_IDLE), low (nice 19) or normal (the process's). */
    threadPriority: BiThreadPriority;
    /** The most one BI statement waits while API requests are in flight, ms (0: BI never waits for the API). */
    yieldMs: number;
  };
  logLevel: LogLevel;
}

/** How the mix workers of `eior serve --workers N` are scheduled (EIOR_API_MIX_PRIORITY; see ApiConfig.mixPriority). */
export type MixPriority = 'idle' | 'low';
export const MIX_PRIORITIES: readonly MixPriority[] = ['idle', 'low'];

export const DEFAULT_API_PORT = 4000;
export const DEFAULT_BI_SQL_PORT = 5433;

export const DEFAULT_LIMITS: ApiLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 1_000,
  maxCost: 50_000,
  maxFieldCost: 10_000,
  maxDirectives: 20,
  requestTimeoutMs: 10_000,
  maxBodyBytes: 1_000_000,
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected an integer from ${min} to ${max}`);
  return n;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected one of ${allowed.join(', ')}`);
  return raw as T;
}

/** The API's config from the environment; `stateDir` is the project's state folder (.eior). */
export function loadApiConfig(stateDir: string, env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const sqlOff = env.EIOR_BI_SQL_PORT === 'off';
  return {
    host: env.EIOR_API_HOST || '127.0.0.1',
    port: integer(env, 'EIOR_API_PORT', DEFAULT_API_PORT, 0, 65535),
    workers: integer(env, 'EIOR_API_WORKERS', 1, 1, 64),
    priorityWorker: oneOf(env, 'EIOR_API_PRIORITY_WORKER', 'on', ['on', 'off'] as const) === 'on',
    mixPriority: oneOf(env, 'EIOR_API_MIX_PRIORITY', 'idle', MIX_PRIORITIES),
    mixGroup: oneOf(env, 'EIOR_API_MIX_GROUP', 'on', ['on', 'off'] as const) === 'on',
    modelsDir: path.join(stateDir, 'models'),
    apiKeysFile: path.resolve(env.EIOR_API_KEYS_FILE || path.join(stateDir, 'api-keys.json')),
    auth: oneOf(env, 'EIOR_API_AUTH', 'mutations', ['mutations', 'all'] as const),
    introspection: oneOf(env, 'EIOR_API_INTROSPECTION', 'on', ['on', 'off'] as const) === 'on',
    limits: {
      ...DEFAULT_LIMITS,
      maxDepth: integer(env, 'EIOR_API_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 1, 100),
      maxCost: integer(env, 'EIOR_API_MAX_COST', DEFAULT_LIMITS.maxCost, 1, 10_000_000),
      requestTimeoutMs: integer(env, 'EIOR_API_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs, 100, 600_000),
    },
    workGate: {
      limit: integer(env, 'EIOR_API_GATE_LIMIT', DEFAULT_WORK_GATE_LIMITS.limit, 1, 1_000),
      maxQueued: integer(env, 'EIOR_API_GATE_QUEUE', DEFAULT_WORK_GATE_LIMITS.maxQueued, 0, 100_000),
    },
    modelPollMs: integer(env, 'EIOR_MODEL_POLL_MS', 5_000, 0, 3_600_000),
    itemFeedbackTtlMs: integer(env, 'EIOR_ITEM_FEEDBACK_TTL_MS', 2_000, 0, 3_600_000),
    driftRefreshMs: integer(env, 'EIOR_DRIFT_REFRESH_MS', 600_000, 0, 86_400_000),
    bi: {
      enabled: oneOf(env, 'EIOR_BI', 'on', ['on', 'off'] as const) === 'on',
      sqlPort: sqlOff ? null : integer(env, 'EIOR_BI_SQL_PORT', DEFAULT_BI_SQL_PORT, 0, 65535),
      postgresUrl: env.EIOR_BI_POSTGRES_URL || null,
      recommendationUsers: integer(env, 'EIOR_BI_USERS', 1_000, 0, 1_000_000),
      dataDir: env.EIOR_BI_DATA_DIR ? path.resolve(env.EIOR_BI_DATA_DIR) : null,
      refreshMs: integer(env, 'EIOR_BI_REFRESH_MS', 300_000, 0, 86_400_000),
      threadPriority: oneOf(env, 'EIOR_BI_PRIORITY', 'idle', BI_THREAD_PRIORITIES),
      yieldMs: integer(env, 'EIOR_BI_YIELD_MS', DEFAULT_MAX_WAIT_MS, 0, 60_000),
    },
    logLevel: oneOf(env, 'EIOR_LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent'] as const),
  };
}
