// What an append brings, worked out before anything is written: the new file's events grouped by pair, its users
// and items not yet in the dataset in one fixed order (so a run killed half-way gives them the same indexes when
// started again), and the features of its items keyed by id.
import path from 'node:path';
import { GraphError } from '../errors';
import type { GraphClient } from '../db/client';
import { collapseEvents, type PairRows } from './collapse-events';
import { DEFAULT_EVENT_COLUMNS, EventSink, type EventColumns, type EventRole } from './event-sink';
import { eventFormat, readTable } from './events-file';
import { isPlainInteger } from './id-map';
import type { InterRows } from './inter-reader';
import { readKeyedFeatures } from './keyed-features';
import { fingerprintFiles, type PreparedModality, type PrepareProgress } from './prepare';
import type { EventsInput } from './prepare-events';

export interface AppendPlan {
  /** sha256 of the appended files and the settings that read them. */
  fingerprint: string;
  source: string;
  events: InterRows;
  /** The file's pairs, users and items as first-appearance ids of the file. */
  pairs: PairRows;
  modalities: PreparedModality[];
}

/** Plain integers first (numerically), then other ids in code-unit order: a total order on any set of ids. */
export function compareIds(a: string, b: string): number {
  const ia = isPlainInteger(a);
  const ib = isPlainInteger(b);
  if (ia && ib) return Number(a) - Number(b);
  if (ia !== ib) return ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function planAppend(input: EventsInput, onProgress?: PrepareProgress): Promise<AppendPlan> {
  const format = eventFormat(input.file, input.format);
  const source = path.basename(input.file);
  const columns: EventColumns = { ...DEFAULT_EVENT_COLUMNS, ...input.columns };
  const sink = new EventSink(source, columns, new Set(Object.keys(input.columns ?? {}) as EventRole[]), input.eventIdColumn);
  const bytes = await readTable(input.file, format, sink, (done, total) => onProgress?.('read interactions', done, total));
  const events = sink.rows(bytes);
  // grouping only: users and items stay the file's first-appearance ids
  const { pairs } = collapseEvents(events, events.userTokens.length, 'first', {
    file: source,
    locate: (e) => `line ${e + 2}`,
    userIds: events.userTokens,
    itemIds: events.itemTokens,
  });
  const features = input.features ?? [];
  const itemIndex = new Map(events.itemTokens.map((id, k) => [id, k]));
  const modalities: PreparedModality[] = [];
  for (const [k, f] of features.entries()) {
    onProgress?.('read features', k, features.length);
    modalities.push((await readKeyedFeatures(f, itemIndex)).modality);
  }
  onProgress?.('fingerprint', 0, 1);
  const settings = JSON.stringify({ append: true, format, columns, eventId: input.eventIdColumn, ids: features.map((f) => [f.modality, f.idColumn ?? null]) });
  const fingerprint = await fingerprintFiles([input.file, ...features.flatMap((f) => (f.ids ? [f.file, f.ids] : [f.file]))], settings);
  onProgress?.('fingerprint', 1, 1);
  return { fingerprint, source, events, pairs, modalities };
}

/** The file's ids that the dataset lacks (not in known), in compareIds order, each with the next free index from next on. */
export function newIds(tokens: readonly string[], known: ReadonlyMap<string, number>, next: number): { id: string; idx: number; token: number }[] {
  const fresh = tokens.map((id, token) => ({ id, token })).filter((t) => !known.has(t.id));
  fresh.sort((a, b) => compareIds(a.id, b.id));
  return fresh.map((t, k) => ({ ...t, idx: next + k }));
}

/** The dataset's modalities (name -> width); an append's feature file must match one of them. */
export async function checkModalities(client: GraphClient, dataset: string, modalities: PreparedModality[]): Promise<string[]> {
  const stored = await client.read(async (tx) =>
    (await tx.run('MATCH (m:Modality {dataset: $dataset}) RETURN m.name AS name, m.width AS width ORDER BY name', { dataset })).records.map((r) => ({
      name: r.get('name') as string,
      width: r.get('width') as number,
    })),
  );
  for (const m of modalities) {
    const s = stored.find((x) => x.name === m.modality);
    if (!s) {
      throw new GraphError('BAD_USER_INPUT', `${path.basename(m.file)}: dataset '${dataset}' has no ${m.modality} modality (it has ${stored.map((x) => x.name).join(', ') || 'none'}): an append adds events and items, not modalities`);
    }
    if (s.width !== m.width) {
      throw new GraphError('BAD_USER_INPUT', `${path.basename(m.file)}: ${m.width} ${m.modality} features per item, but dataset '${dataset}' has ${s.width}`);
    }
  }
  return stored.map((x) => x.name);
}
