// The one gate between a dataset name in a request and everything behind it (files, caches, the graph): the name
// is checked by the ingest rule, then against the caller's key scope, then against the datasets the graph holds.
// An unknown name and a name outside the caller's scope get the same NOT_FOUND, which names no other dataset.
import { listDatasets, type GraphClient } from '@eior/graph';
import { ApiError, notFound } from '../errors';
import { checkDatasetName } from '../identifiers';

/** How long the list of datasets is trusted, ms; a miss re-reads it at most this often. */
const LIST_MS = 1_000;

export class DatasetAccess {
  private known: Promise<Map<string, string>> | null = null;
  private readAt = 0;

  constructor(private readonly client: GraphClient) {}

  /**
   * `name` when the caller may use it and it is a completely ingested dataset: BAD_USER_INPUT for a name that
   * breaks the naming rule, NOT_FOUND for one that is not there (or not the caller's), CONFLICT for a partial one.
   */
  async require(name: string, scope: ReadonlySet<string> | null, argument = 'dataset'): Promise<string> {
    checkDatasetName(name, argument);
    const missing = () => notFound(`${argument} = ${JSON.stringify(name)}: no such dataset${scope ? ' for this API key' : ''} (see \`datasets\`)`, name);
    if (scope && !scope.has(name)) throw missing();
    let status = (await this.list(false)).get(name);
    if (status === undefined) status = (await this.list(true)).get(name);
    if (status === undefined) throw missing();
    if (status !== 'complete') throw new ApiError('CONFLICT', `dataset ${JSON.stringify(name)} is only partly ingested: run \`eior ingest\` again to finish it`);
    return name;
  }

  /** Whether the caller may see `name` (for lists). */
  static visible(name: string, scope: ReadonlySet<string> | null): boolean {
    return scope === null || scope.has(name);
  }

  /** Dataset name -> ingest status; `fresh` re-reads the graph unless it was read within LIST_MS. */
  private list(fresh: boolean): Promise<Map<string, string>> {
    const now = Date.now();
    if (!this.known || (fresh && now - this.readAt >= LIST_MS) || now - this.readAt >= 10 * LIST_MS) {
      this.readAt = now;
      const reading = listDatasets(this.client).then((all) => new Map(all.map((d) => [d.name, d.status])));
      reading.catch(() => {
        if (this.known === reading) this.known = null; // the next request tries again
      });
      this.known = reading;
    }
    return this.known;
  }
}
