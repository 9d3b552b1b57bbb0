// The API process: GraphQL (/graphql), health (/health), Prometheus metrics (/metrics) and the BI exports
// (/export) on one HTTP port, over one Neo4j driver and the in-memory models of the registry.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ItemCache, createGraphLoaders, listDatasets, warmItemCache, type GraphClient } from '@eior/graph';
import { selectBackend, type BackendChoice } from '@eior/model';
import type { ApiConfig } from './config';
import type { ApiContext } from './context';
import { DriftService } from './drift-report/drift-service';
import { ApiActivity } from './bi';
import { startBi } from './bi-publish/start-bi';
import type { BiPublisher } from './bi-publish/bi-publisher';
import { createFormatError, errorStatusPlugin } from './format-error';
import { costLimitOptions, reworded } from './http/armor-errors';
import { createLeakGuard } from './leak-guard';
import { handleGraphql } from './http/graphql-handler';
import { priorityEntry } from './http/priority-entry';
import { proxyGet } from './http/proxy';
import { serverTimingPlugin } from './http/server-timing';
import { workGatePlugin } from './http/priority';
import { WorkGate } from './http/work-gate';
import { sendJson } from './http/request-body';
import { slicer } from './yield';
import { priorityLane } from './priority-lane';
import { createLogger, type Logger } from './logger';
import { createMetrics, type ApiMetrics } from './metrics';
import { buildApiSchema } from './schema/build-schema';
import { EventsPerDayCache } from './schema/events-per-day-cache';
import { fieldCostRule } from './schema/field-cost.rule';
import { knownOperationTypeRule } from './schema/operation-type.rule';
import { ApiKeyVerifier, type VerifiedKey } from './security/api-keys';
import { DatasetAccess } from './security/dataset-access';
import { ModelRegistry } from './serving/model-registry';
import { ServedLog } from './serving/served-log';

export interface RunningApi {
  url: string;
  /** The BI endpoints, when enabled: the SQL URL (null when the SQL port is off or the store is external). */
  bi: { sqlUrl: string | null; publisher: BiPublisher; exports: RouteHandler } | null;
  drift: DriftService;
  /** The TensorFlow.js backend the models score on (the best one present). */
  backend: BackendChoice;
  port: number;
  registry: ModelRegistry;
  served: ServedLog;
  metrics: ApiMetrics;
  /** This process's /graphql requests in flight, which the BI thread waits for; other workers' are added with `other`. */
  activity: ApiActivity;
  close(): Promise<void>;
}

export interface ApiDeps {
  client: GraphClient;
  config: ApiConfig;
  log?: Logger;
  /**
   * Where /export requests go when this process has no BI of its own: another process of the same API (the
   * worker that holds the BI store, in `eior serve --workers N`), as http://host:port; null until it is known.
   */
  exportsUpstream?: () => string | null;
  /** Told when a /graphql request begins (+1) and ends (-1): a worker passes it on to the worker with the BI thread. */
  onGraphqlRequest?: (delta: 1 | -1) => void;
  /**
   * A worker of `eior serve --workers N` with a priority worker: the token the priority worker shows, and a port of
   * this process's own. With `mixPorts` this process is the priority worker: it owns the public port, answers the
   * cheap reads and passes the rest to those ports (http/priority-entry.ts).
   */
  front?: { token: string; mixPorts?: () => number[] };
}

/** Extra HTTP routes (the BI exports): return true when the request was theirs. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export async function startApi({ client, config, log = createLogger(config.logLevel), exportsUpstream, onGraphqlRequest, front }: ApiDeps, extraRoutes: RouteHandler[] = []): Promise<RunningApi> {
  const backend = await selectBackend();
  log.info({ backend: backend.name, skipped: backend.skipped.map((s) => `${s.name}: ${s.reason}`) }, 'model backend selected');
  // GraphQL requests in flight, for the BI thread to give way to (bi/api-activity.ts); /export is BI's own work
  const activity = new ApiActivity();
  const metrics = createMetrics(() => activity.counts());
  let publisher: BiPublisher | null = null;
  // the priority worker passes drift on to the mix workers and never answers it: it builds no reports, whose seconds
  // of CPU would otherwise delay the recommendations it answers
  const buildsDrift = !front?.mixPorts;
  const registry = new ModelRegistry({
    client, modelsDir: config.modelsDir, pollMs: config.modelPollMs, graceMs: 2 * config.limits.requestTimeoutMs, log,
    onServing: (model) => {
      void publisher?.publish(model);
      // the drift report of the new version, built in the background (requests only ever read finished ones)
      if (buildsDrift) drift.refresh(model).catch(() => undefined);
      // every user's first pages ranked ahead of requests, in slices that leave the thread to requests
      model
        .precomputeFirstPages(slicer())
        .then((users) => users && log.info({ dataset: model.dataset, version: model.version, users }, 'first pages precomputed'))
        .catch((err: unknown) => log.debug({ err, dataset: model.dataset }, 'first pages not precomputed (model replaced?)'));
      // item counts and feature summaries into memory, so that serving does not wait on the graph for them
      warmItemCache(client, itemCache, model.dataset, model.manifest.dataset.fingerprint, model.numItems).catch((err: unknown) => log.warn({ err, dataset: model.dataset }, 'item cache not warmed'));
    },
  });
  const served = new ServedLog(undefined, (dataset) => metrics.servedRecommendations.inc({ dataset }));
  const drift = new DriftService(client, served, config.modelsDir, log);
  const keys = new ApiKeyVerifier(config.apiKeysFile);
  const access = new DatasetAccess(client);
  const itemCache = new ItemCache(config.itemFeedbackTtlMs);
  const eventsPerDay = new EventsPerDayCache();
  const fingerprintOf = (dataset: string) => registry.peek(dataset)?.manifest.dataset.fingerprint ?? null;
  const { limits } = config;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...reworded() },
    maxAliases: { n: limits.maxAliases, ...reworded() },
    maxTokens: { enabled: false }, // counted in http/token-limit.ts (armor's turns syntax errors into 500s)
    maxDirectives: { n: limits.maxDirectives, ...reworded() },
    costLimit: costLimitOptions(limits.maxCost),
    blockFieldSuggestion: { enabled: !config.introspection },
  }).protect();
  // the priority worker of `eior serve --workers N` owns the port: it answers the cheap reads, passes the rest on
  const entry = front?.mixPorts ? priorityEntry({ maxBodyBytes: config.limits.maxBodyBytes, mixPorts: front.mixPorts, token: front.token, log }, serve) : null;
  const server: Server = createServer(entry ? entry.listener : (req, res) => serve(req, res));
  function serve(req: IncomingMessage, res: ServerResponse, body?: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/graphql') {
      const end = activity.begin();
      onGraphqlRequest?.(1);
      res.once('close', () => {
        end();
        onGraphqlRequest?.(-1);
      });
    }
    res.on('finish', () => metrics.httpRequests.inc({ route: routeName(url.pathname), status: String(res.statusCode) }));
    route(req, res, url, body).catch((err: unknown) => {
      log.error({ err, path: url.pathname }, 'request failed');
      sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error: see the server log' } });
    });
  }

  const apollo = new ApolloServer<ApiContext>({
    schema: await buildApiSchema(),
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(log, createLeakGuard([config.modelsDir, path.dirname(config.apiKeysFile)])),
    // no cache hints are used: without the cache-control plugin no wrapper runs around every field
    // stop() stops accepting connections, lets requests in flight finish (up to 10 s), then closes the rest
    plugins: [...armor.plugins, errorStatusPlugin, serverTimingPlugin, workGatePlugin(new WorkGate(config.workGate), priorityLane), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginDrainHttpServer({ httpServer: server })],
    // the cost by what fields do last: a document past the depth limit is told that first
    validationRules: [knownOperationTypeRule, ...armor.validationRules, fieldCostRule(limits.maxFieldCost)],
    // persisted queries are refused before Apollo (http/graphql-handler.ts): a cache clients fill is one more thing to bound
    persistedQueries: false,
  });
  await apollo.start();
  const bi = config.bi.enabled ? await startBi(config, client, registry, drift, log, activity) : null;
  publisher = bi?.publisher ?? null;
  registry.start();
  if (buildsDrift) drift.start(() => registry.loaded(), config.driftRefreshMs);
  // models load at start, in the background: a request for a dataset still loading waits for it
  void listDatasets(client)
    .then((all) => Promise.all(all.filter((d) => d.status === 'complete').map((d) => registry.get(d.name).catch(() => null))))
    .catch((err: unknown) => log.warn({ err }, 'could not list datasets to load their models'));
  publisher?.start();

  const context = (requestId: string, key: VerifiedKey | null, recordServed: boolean, clientId: string): ApiContext => {
    const scope = key?.datasets ?? null;
    const dataset = (name: string, argument?: string) => access.require(name, scope, argument);
    return { requestId, recordServed, client, loaders: createGraphLoaders(client, itemCache, fingerprintOf), itemCache, registry, served, drift, eventsPerDay, apiKey: key?.name ?? null, scope, clientId, dataset, log };
  };
  const graphqlDeps = { apollo, limits, keys, auth: config.auth, context, observe: (outcome: 'ok' | 'error', s: number) => metrics.graphqlDuration.observe({ outcome }, s), frontToken: front?.token ?? null };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, body?: string): Promise<void> {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, authorization, x-api-key, apollo-require-preflight, x-eior-analytics',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (url.pathname === '/graphql') return handleGraphql(req, res, url, graphqlDeps, body);
    if (url.pathname === '/health') {
      const models = registry.loaded().map((m) => ({ dataset: m.dataset, version: m.version, model: m.kind }));
      return sendJson(res, 200, { status: 'ok', pid: process.pid, backend: backend.name, models });
    }
    if (url.pathname === '/metrics') {
      metrics.modelsLoaded.reset();
      for (const m of registry.loaded()) metrics.modelsLoaded.set({ dataset: m.dataset, version: m.version, model: m.kind }, 1);
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    if (bi && (await bi.exports(req, res, url))) return;
    const upstream = exportsUpstream?.();
    if (!bi && upstream && (url.pathname === '/export' || url.pathname.startsWith('/export/'))) return proxyGet(req, res, `${upstream}${url.pathname}${url.search}`);
    for (const handler of extraRoutes) if (await handler(req, res, url)) return;
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${url.pathname}: the API serves /graphql, /health, /metrics and /export` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // behind the front: a port of this process's own (exclusive), not one node:cluster shares among workers
    server.listen({ port: config.port, host: config.host, exclusive: front !== undefined }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'API listening');
  return {
    url: `http://${config.host}:${port}/graphql`,
    bi: bi ? { sqlUrl: bi.sqlUrl, publisher: bi.publisher, exports: bi.exports } : null,
    backend,
    drift,
    port,
    registry,
    served,
    metrics,
    activity,
    async close() {
      drift.stop();
      await apollo.stop();
      entry?.close();
      await bi?.close();
      await registry.close();
    },
  };
}

function routeName(pathname: string): string {
  if (pathname === '/graphql' || pathname === '/health' || pathname === '/metrics') return pathname;
  return pathname.startsWith('/export') ? '/export' : 'other';
}
