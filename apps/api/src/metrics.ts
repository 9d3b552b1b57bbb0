// Prometheus metrics of one API process (its own registry, so several processes or tests never share state).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { YieldCounts } from './bi';

export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'status'>;
  graphqlDuration: Histogram<'outcome'>;
  servedRecommendations: Counter<'dataset'>;
  modelsLoaded: Gauge<'dataset' | 'version' | 'model'>;
}

/** `biYield`: what the embedded BI thread's waits for API requests came to (bi/api-activity.ts), read at each scrape. */
export function createMetrics(biYield?: () => YieldCounts): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'eior_api_' });
  if (biYield) {
    const figures: [string, string, (c: YieldCounts) => number][] = [
      ['eior_api_bi_statement_waits', 'BI statements that waited for GraphQL requests in flight in this process, since start.', (c) => c.waits],
      ['eior_api_bi_statement_waits_capped', 'BI statement waits ended by their cap while requests were still in flight, since start.', (c) => c.capped],
      ['eior_api_bi_statement_wait_seconds', 'Time BI statements waited for GraphQL requests in flight, since start.', (c) => c.waitedMs / 1000],
    ];
    for (const [name, help, read] of figures) {
      new Gauge({ name, help, registers: [registry], collect() { this.set(read(biYield())); } });
    }
  }
  return {
    registry,
    httpRequests: new Counter({ name: 'eior_api_http_requests_total', help: 'HTTP requests by route and status code.', labelNames: ['route', 'status'], registers: [registry] }),
    graphqlDuration: new Histogram({
      name: 'eior_api_graphql_duration_seconds',
      help: 'GraphQL request duration by outcome (ok: HTTP status below 400).',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    servedRecommendations: new Counter({ name: 'eior_api_served_recommendations_total', help: 'Recommendations served, by dataset.', labelNames: ['dataset'], registers: [registry] }),
    modelsLoaded: new Gauge({ name: 'eior_api_model_loaded', help: 'Model versions being served (1 per dataset, labelled with the version).', labelNames: ['dataset', 'version', 'model'], registers: [registry] }),
  };
}
