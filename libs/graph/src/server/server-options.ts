// Options of the project's own Neo4j (libs/graph/launcher), checked once before anything is spawned.
import path from 'node:path';
import { GraphError } from '../errors';

/** Bolt listens here only: the local server is for this machine, with auth disabled. */
export const LOCAL_NEO4J_HOST = '127.0.0.1';
export const DEFAULT_START_TIMEOUT_MS = 180_000;
export const DEFAULT_STOP_TIMEOUT_MS = 60_000;

/**
 * JVM flags the Neo4j server itself runs with. Without the java.nio opening, vector index population is
 * reported to stall; ExitOnOutOfMemoryError turns a wedged JVM into a dead one that a restart fixes.
 */
export const LAUNCHER_JVM_FLAGS: readonly string[] = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-XX:+ExitOnOutOfMemoryError',
];

/** Steps of a start, in order; a start that finds a running server skips to `verify`. */
export const SERVER_STAGES = ['resolve', 'compile', 'spawn', 'wait', 'verify', 'ready'] as const;
export type ServerStage = (typeof SERVER_STAGES)[number];

export interface ServerProgress {
  stage: ServerStage;
  message: string;
  /** Milliseconds since the start was asked for. */
  elapsedMs: number;
}

export interface StartLocalNeo4jOptions {
  /** Folder of this server: store (data/), Neo4j logs (logs/), launcher.log and the pid file. */
  home: string;
  /** Bolt port on 127.0.0.1. */
  port: number;
  /** JVM heap (-Xmx), e.g. "1g"; the JVM default would be a quarter of the machine's memory. */
  heap: string;
  /** Neo4j page cache, e.g. "256m"; Neo4j's default would be half of the free memory. */
  pageCache: string;
  /** How long to wait for the ready line once the JVM runs (the Maven download is not counted). */
  startTimeoutMs?: number;
  /** A line for a person, and the step it belongs to (for a progress bar). */
  onProgress?: (message: string, progress: ServerProgress) => void;
}

export interface StopLocalNeo4jOptions {
  home: string;
  /** SIGTERM first; SIGKILL after this long. */
  stopTimeoutMs?: number;
}

export interface LocalNeo4jStatusOptions {
  home: string;
  /** The port to report (and probe) when no server of `home` runs. */
  port: number;
}

const SIZE = /^[1-9]\d*[kmg]?$/i;

export function validatePort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new GraphError('BAD_USER_INPUT', `port ${JSON.stringify(port)} is not valid: expected an integer from 1 to 65535`);
  }
  return port;
}

export function validateSize(name: string, value: string): string {
  if (!SIZE.test(value)) {
    throw new GraphError('BAD_USER_INPUT', `${name} ${JSON.stringify(value)} is not valid: expected a size like 256m or 1g`);
  }
  return value;
}

export function validateHome(home: string): string {
  if (typeof home !== 'string' || home.trim() === '') {
    throw new GraphError('BAD_USER_INPUT', `home ${JSON.stringify(home)} is not valid: expected a folder path`);
  }
  return path.resolve(home);
}

export function validateStartOptions(opts: StartLocalNeo4jOptions): Required<Omit<StartLocalNeo4jOptions, 'onProgress'>> {
  const startTimeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!(startTimeoutMs > 0)) {
    throw new GraphError('BAD_USER_INPUT', `startTimeoutMs ${startTimeoutMs} is not valid: expected a positive number`);
  }
  return {
    home: validateHome(opts.home),
    port: validatePort(opts.port),
    heap: validateSize('heap', opts.heap),
    pageCache: validateSize('pageCache', opts.pageCache),
    startTimeoutMs,
  };
}

export function boltUri(port: number): string {
  return `bolt://${LOCAL_NEO4J_HOST}:${port}`;
}
