// What every resolver gets: the request's id (in logs and masked errors), its DataLoaders (fresh per request),
// the model registry, the graph, the served-recommendation log and the caller's API key name.
import type { GraphClient, GraphLoaders, ItemCache } from '@eior/graph';

import type { DriftService } from './drift-report/drift-service';
import type { EventsPerDayCache } from './schema/events-per-day-cache';
import type { Logger } from './logger';
import type { ModelRegistry } from './serving/model-registry';
import type { ServedLog } from './serving/served-log';

export interface ApiContext {
  requestId: string;
  client: GraphClient;
  loaders: GraphLoaders;
  /** Item records shared across requests (feedback counts cached briefly): a write drops the dataset's counts. */
  itemCache: ItemCache;
  registry: ModelRegistry;
  served: ServedLog;
  /** False for analytics requests (header `x-eior-analytics: 1`, the dashboard's): what they see is not counted as served. */
  recordServed: boolean;
  drift: DriftService;
  /** Datasets' events per day, kept per state of their events (shared across requests). */
  eventsPerDay: EventsPerDayCache;
  /** Name of the API key the request carried, null when it carried none (or an invalid one). */
  apiKey: string | null;
  /** The datasets the key may see; null: all (no key, or a key without a scope). */
  scope: ReadonlySet<string> | null;
  /** Who is asking, for per-client limits: `key:<name>`, else `ip:<address>`. */
  clientId: string;
  /** A dataset name checked (rule, key scope, existence) before anything else uses it: see security/dataset-access.ts. */
  dataset(name: string, argument?: string): Promise<string>;
  log: Logger;
}
