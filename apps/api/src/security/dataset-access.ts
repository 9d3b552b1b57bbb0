// The one gate between a dataset name in a request and everything behind it (files, caches, the graph): the name
// is checked by the ingest rule, then against the caller's key scope, then against the datasets the graph holds.
// An unknown name and a name outside the caller's scope get the same NOT_FOUND, which names no other dataset.
// Known names are answered from memory, so a busy graph never slows a request for a served dataset down.
import { listDatasets, type GraphClient } from '@eior/graph';
import { ApiError, notFound } from '../errors';
import { checkDatasetName } from '../identifiers';

/** How long the list of datasets is trusted, ms; a miss re-reads it at most this often. */
const LIST_MS = 1_000;

/**
 * The list of datasets, read from the graph one read at a time. A name the last finished list knows is answered from
 * it at once (a list older than 10 x LIST_MS is re-read in the background meanwhile), so a request for a known
 * dataset never waits on the graph, however busy it is; a name it does not know waits for a fresh list (read at most
 * once per LIST_MS, whatever the number of unknown names asked for).
 */
export class DatasetAccess {
  private last: { at: number; statuses: Map<string, string> } | null = null;
  private reading: Promise<Map<string, string>> | null = null;
  private readStartedAt = -Infinity;

  constructor(
    client: GraphClient,
    private readonly read: () => Promise<{ name: string; status: string }[]> = () => listDatasets(client),
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `name` when the caller may use it and it is a completely ingested dataset: BAD_USER_INPUT for a name that
   * breaks the naming rule, NOT_FOUND for one that is not there (or not the caller's), CONFLICT for a partial one.
   */
  async require(name: string, scope: ReadonlySet<string> | null, argument = 'dataset'): Promise<string> {
    checkDatasetName(name, argument);
    const missing = () => notFound(`${argument} = ${JSON.stringify(name)}: no such dataset${scope ? ' for this API key' : ''} (see \`datasets\`)`, name);
    if (scope && !scope.has(name)) throw missing();
    let status = this.known(name);
    if (status === undefined) status = (await this.fresh()).get(name);
    if (status === undefined) throw missing();
    if (status !== 'complete') throw new ApiError('CONFLICT', `dataset ${JSON.stringify(name)} is only partly ingested: run \`eior ingest\` again to finish it`);
    return name;
  }

  /** Whether the caller may see `name` (for lists). */
  static visible(name: string, scope: ReadonlySet<string> | null): boolean {
    return scope === null || scope.has(name);
  }

  /** The status of `name` in the last finished list (undefined: not in it, or no list yet); refreshes an old list in the background. */
  private known(name: string): string | undefined {
    if (!this.last) return undefined;
    if (this.now() - this.last.at >= 10 * LIST_MS && !this.reading) this.fresh().catch(() => undefined);
    return this.last.statuses.get(name);
  }

  /** A list no older than LIST_MS when its read started: the read under way, the last one, or a new read. */
  private fresh(): Promise<Map<string, string>> {
    if (this.reading) return this.reading;
    if (this.last && this.now() - this.readStartedAt < LIST_MS) return Promise.resolve(this.last.statuses);
    const at = this.now();
    this.readStartedAt = at;
    const reading = this.read().then((all) => {
      const statuses = new Map(all.map((d) => [d.name, d.status]));
      this.last = { at, statuses };
      return statuses;
    });
    this.reading = reading;
    // a failed read leaves the last list as it was; the next request that needs a fresh one tries again
    void reading.then(
      () => (this.reading = null),
      () => (this.reading = null),
    );
    return reading;
  }
}
