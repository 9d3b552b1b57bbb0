// The events half of an append: per batch of pairs, one transaction creates the pairs not in the graph (those of a
// user or item new in this run without looking for them) and reads the others, merges the new events into each
// existing pair's events (an event already there is skipped: exactly once on a re-run) and writes those pairs back.
// A new pair takes its events' split label, or train when the file has none; an existing pair keeps its split
// whatever the new events say (counted as conflicts), so no pair is ever in two splits. Several batches are written
// at once (`writers`), which keeps Neo4j's threads busy while one batch commits.
import type { GraphClient } from '../db/client';
import { GraphError } from '../errors';
import type { AppendPlan } from './append-plan';
import { BATCH_LISTS, BATCH_NODES, batchGroups, batchNodes } from './batch-nodes';
import type { RepeatPolicy } from './collapse-events';
import { SPLITS } from './inter-reader';
import { pairProperties, sameEvent, sortEvents, storedEvents, type PairEvent, type PairProperties } from './pair-events';

export interface AppendCounts {
  /** Events in the file. */
  events: number;
  /** Events that joined the graph. */
  added: number;
  /** Events already in the graph (an earlier append of them, or the same event twice in the file). */
  duplicates: number;
  newPairs: number;
  /** Existing pairs whose new events carry another split label: they keep their split. */
  conflicts: number;
}

export interface AppendPairsOptions {
  users: ReadonlyMap<string, number>;
  items: ReadonlyMap<string, number>;
  /** Element ids of the file's users and items (by their first-appearance index in the file). */
  userRefs: readonly string[];
  itemRefs: readonly string[];
  policy: RepeatPolicy;
  batchSize: number;
  /** Batches written at once, each in a transaction of its own. */
  writers: number;
  /** Source of events stored before sources were recorded per event. */
  fallbackSource: string;
  /**
   * Users and items from these indexes on were not in the graph when this run began (an append gives new ones the
   * next indexes): a pair of one of them cannot exist yet, so it is created without being looked for.
   */
  newFrom: { users: number; items: number };
  onProgress: (done: number, total: number) => void;
}

// The batch's pairs that exist, read before anything is written: each user of the batch is expanded once (its
// relationships, about as many as its events) and its relationships to the batch's items of that user kept, instead
// of one OPTIONAL MATCH per pair (which scanned the user's relationships once per pair, and whose CREATE in the same
// statement made the planner add two Eager barriers). Groups: [user, [item, ...], [k, ...]], user and items as
// BATCH_LISTS positions.
const READ_PAIRS = `${BATCH_LISTS}
UNWIND $groups AS g
WITH users[toInteger(g[0])] AS u, [p IN g[1] | items[toInteger(p)]] AS its, g[2] AS ks
MATCH (u)-[x:INTERACTED]->(i)
WHERE i IN its
RETURN toInteger(ks[[j IN range(0, size(its) - 1) WHERE its[j] = i][0]]) AS k, properties(x) AS x`;

// The batch's pairs not in the graph. Rows: [user, item, k, ...PAIR_FIELDS values], user and item as BATCH_NODES
// positions; a row may end early (a pair of one plain event has only split, rating and timestamp): r[n] past its
// end is null, and a null property is not stored.
const CREATE_PAIRS = `${BATCH_NODES}
CREATE (u)-[:INTERACTED {split: r[3], rating: r[4], timestamp: r[5], events: r[6], weight: r[7], eventTimes: r[8],
                         eventRatings: r[9], eventWeights: r[10], eventSources: r[11], eventIds: r[12]}]->(i)`;

/** The properties in CREATE_PAIRS's order from r[3] on. */
const PAIR_FIELDS = ['split', 'rating', 'timestamp', 'events', 'weight', 'eventTimes', 'eventRatings', 'eventWeights', 'eventSources', 'eventIds'] as const;

// Rows: [user, item, k, merged properties].
const UPDATE_PAIRS = `${BATCH_NODES}
MATCH (u)-[x:INTERACTED]->(i)
SET x = r[3]
RETURN count(*) AS n`;

// A batch's share of the dataset's counts, committed with it. The Dataset node's lock, held to the end of the
// transaction, makes a batch wait here for the commit of the one before: the writers' statements overlap, their
// commits do not (commits side by side measured slower: more garbage collection in Neo4j, docs/benchmarks/ingest.md).
const RECORD_COUNTS = `
MATCH (d:Dataset {name: $dataset})
SET d.appendTrain = coalesce(d.appendTrain, 0) + $train, d.appendValid = coalesce(d.appendValid, 0) + $valid,
    d.appendTest = coalesce(d.appendTest, 0) + $test, d.appendEvents = coalesce(d.appendEvents, 0) + $added`;

type Counts = Omit<AppendCounts, 'events'>;

export async function appendPairs(client: GraphClient, dataset: string, plan: AppendPlan, options: AppendPairsOptions): Promise<Omit<AppendCounts, 'events'>> {
  const { pairs, events } = plan;
  const counts = { added: 0, duplicates: 0, newPairs: 0, conflicts: 0 };
  const eventOf = (e: number): PairEvent => ({
    time: events.timestamps ? events.timestamps[e] : Number.NaN,
    rating: events.ratings ? events.ratings[e] : Number.NaN,
    weight: events.weights && !Number.isNaN(events.weights[e]) ? events.weights[e] : 1,
    source: plan.source,
    ...(events.eventKeys ? { key: events.eventKeyTokens![events.eventKeys[e]] } : {}),
  });
  // batches of pairs holding about batchSize events
  const bounds: number[] = [0];
  for (let to = 0, n = 0; to < pairs.count; ) {
    n += pairs.events[to++];
    if (to === pairs.count || n + pairs.events[to] > options.batchSize) {
      bounds.push(to);
      n = 0;
    }
  }
  let written = 0;
  options.onProgress(0, events.count);
  const writeBatch = async (from: number, to: number): Promise<void> => {
    const keys: [number, number, number][] = [];
    for (let p = from; p < to; p++) {
      keys.push([options.users.get(events.userTokens[pairs.users[p]])!, options.items.get(events.itemTokens[pairs.items[p]])!, p - from]);
    }
    /** [user, item, k] of a row [user idx, item idx, k, ...]: the pair's user and item as the file's tokens, which index userRefs and itemRefs. */
    const tokens = (r: unknown[]): unknown[] => {
      const p = from + (r[2] as number);
      return [pairs.users[p], pairs.items[p], r[2]];
    };
    // rows [user, item, k, properties] as a statement's parameters, with only the properties that are set (a null one
    // is not stored anyway)
    const nodes = (list: unknown[][]) => batchNodes(list.map((r) => [...tokens(r), setProperties(r[3] as PairProperties)]), options.userRefs, options.itemRefs);
    /** [user, item, k, ...properties] of a row [user idx, item idx, k, properties], trailing nulls left out. */
    const pairRow = (r: unknown[]): unknown[] => {
      const props = r[3] as PairProperties;
      const row = tokens(r);
      let end = 0;
      for (const [f, field] of PAIR_FIELDS.entries()) {
        row.push(props[field]);
        if (props[field] !== null) end = f + 1;
      }
      row.length = 3 + end;
      return row;
    };
    const groups = (list: unknown[][]) => batchGroups(list.map(tokens), options.userRefs, options.itemRefs);
    const lost = () => new GraphError('CONFLICT', `dataset '${dataset}' lost users or items while new events were appended to it: was it deleted meanwhile? Run the append again`);
    /** The pair's new events (not already stored, not twice in the file) merged into x, or null when none is new. */
    const merge = (p: number, x: Partial<PairProperties> | null, local: Counts): PairProperties | null => {
      const have = x ? storedEvents(x, options.fallbackSource) : [];
      const incoming: PairEvent[] = [];
      let label: number | undefined;
      for (let k = pairs.start[p]; k < pairs.start[p + 1]; k++) {
        const e = pairs.order[k];
        const event = eventOf(e);
        if (have.some((h) => sameEvent(h, event)) || incoming.some((h) => sameEvent(h, event))) {
          local.duplicates++;
          continue;
        }
        incoming.push(event);
        if (events.splitGiven) label ??= events.splits[e];
      }
      if (incoming.length === 0) return null;
      local.added += incoming.length;
      let split: string;
      if (x) {
        split = x.split!;
        if (label !== undefined && SPLITS[label] !== split) local.conflicts++;
      } else {
        split = SPLITS[label ?? 0];
        local.newPairs++;
      }
      return pairProperties(sortEvents([...have, ...incoming]), split, options.policy);
    };
    const batch = await client.write(async (tx) => {
      const asNew: Counts[] = [];
      const rows = keys.map(([u, i, k]) => {
        asNew[k] = { added: 0, duplicates: 0, newPairs: 0, conflicts: 0 };
        return [u, i, k, merge(from + k, null, asNew[k])];
      });
      const local: Counts = { added: 0, duplicates: 0, newPairs: 0, conflicts: 0 };
      const existing = new Map<number, Partial<PairProperties>>();
      const isNew = (r: unknown[]) => (r[0] as number) >= options.newFrom.users || (r[1] as number) >= options.newFrom.items;
      const known = rows.filter((r) => !isNew(r));
      if (known.length > 0) {
        const res = await tx.run(READ_PAIRS, { dataset, ...groups(known) });
        for (const r of res.records) existing.set(r.get('k') as number, r.get('x') as Partial<PairProperties>);
      }
      // every pair the read did not find is created; a node gone meanwhile (which also hides its pairs from the
      // read) leaves this statement's lists short, so it creates nothing and the batch fails whole
      const created = existing.size === 0 ? rows : rows.filter((r) => !existing.has(r[2] as number));
      if (created.length > 0) {
        const res = await tx.run(CREATE_PAIRS, { dataset, ...batchNodes(created.map(pairRow), options.userRefs, options.itemRefs) });
        if (res.summary.counters.updates().relationshipsCreated !== created.length) throw lost();
      }
      const updates: unknown[][] = [];
      for (const [u, i, k] of keys) {
        const x = existing.get(k);
        if (!x) {
          for (const c of Object.keys(local) as (keyof Counts)[]) local[c] += asNew[k][c];
          continue;
        }
        const props = merge(from + k, x, local);
        if (props) updates.push([u, i, k, props]);
      }
      if (updates.length > 0) {
        const n = (await tx.run(UPDATE_PAIRS, { dataset, ...nodes(updates) })).records[0].get('n') as number;
        if (n !== updates.length) throw lost();
      }
      // the batch's share of the dataset's counts, committed with it: a killed run's batches keep theirs
      const splits = { train: 0, valid: 0, test: 0 };
      for (const [, , k, props] of rows as [number, number, number, PairProperties][]) if (!existing.has(k)) splits[props.split as keyof typeof splits]++;
      await tx.run(RECORD_COUNTS, { dataset, ...splits, added: local.added });
      return local;
    });
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += batch[k];
    written += pairs.start[to] - pairs.start[from];
    options.onProgress(written, events.count);
  };
  // `writers` batches in flight, each in its own transaction: the batches hold disjoint pairs, so their order does
  // not change the graph, and each one still reads, writes and counts its pairs atomically (Neo4j may abort one that
  // deadlocks with another on a shared node; the driver runs it again). After a failure no batch starts, the ones in
  // flight end, and the first error is thrown: a second run finishes the job.
  let next = 0;
  let failed = false;
  const writer = async (): Promise<void> => {
    while (!failed && next < bounds.length - 1) {
      const b = next++;
      await writeBatch(bounds[b], bounds[b + 1]).catch((err: unknown) => {
        failed = true;
        throw err;
      });
    }
  };
  const ends = await Promise.allSettled(Array.from({ length: Math.max(1, options.writers) }, writer));
  const failure = ends.find((e): e is PromiseRejectedResult => e.status === 'rejected');
  if (failure) throw failure.reason;
  return counts;
}

/** The properties of a pair that are not null. */
function setProperties(props: PairProperties): Partial<PairProperties> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (value !== null) out[key] = value;
  return out as Partial<PairProperties>;
}
