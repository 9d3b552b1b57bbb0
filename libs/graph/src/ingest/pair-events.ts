// The properties of one INTERACTED relationship from its events, one rule for the first ingest and for appends:
// a pair of one event of weight 1 stores what MMRec data always stored (split, rating, timestamp); a repeated
// or weighted pair adds its event count and summed weight; a repeated pair keeps every event, earliest first, in
// lists (NaN where an event has no time or rating: Neo4j lists hold no nulls). Events with their own ids
// (`--event-id-col`) keep them in `eventIds`, also on a pair of one event, and are told apart by them.
import type { RepeatPolicy } from './collapse-events';

export interface PairEvent {
  /** Unix seconds, NaN when none. */
  time: number;
  /** NaN when none. */
  rating: number;
  weight: number;
  /** Name of the file the event came from. */
  source: string;
  /** The event's own id (`--event-id-col`); undefined when the input had none. */
  key?: string;
}

export interface PairProperties {
  split: string;
  rating: number | null;
  timestamp: number | null;
  events: number | null;
  weight: number | null;
  eventTimes: number[] | null;
  eventRatings: number[] | null;
  eventWeights: number[] | null;
  eventSources: string[] | null;
  eventIds: string[] | null;
}

/** Earliest first; events without a time after the timed ones; ties keep their given order (stable sort). */
export function sortEvents(events: PairEvent[]): PairEvent[] {
  const time = (e: PairEvent) => (Number.isNaN(e.time) ? Number.POSITIVE_INFINITY : e.time);
  return events.map((e, k) => ({ e, k })).sort((a, b) => time(a.e) - time(b.e) || a.k - b.k).map((x) => x.e);
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** events: already sorted (sortEvents). */
export function pairProperties(events: readonly PairEvent[], split: string, policy: RepeatPolicy): PairProperties {
  const rep = events[policy === 'last' ? events.length - 1 : 0];
  const weight = events.reduce((s, e) => s + e.weight, 0);
  const props: PairProperties = {
    split,
    rating: orNull(rep.rating),
    timestamp: Number.isNaN(rep.time) ? null : Math.trunc(rep.time),
    events: null,
    weight: null,
    eventTimes: null,
    eventRatings: null,
    eventWeights: null,
    eventSources: null,
    eventIds: events.some((e) => e.key !== undefined) ? events.map((e) => e.key ?? '') : null,
  };
  if (events.length === 1 && weight === 1) return props;
  props.events = events.length;
  props.weight = weight;
  if (events.length === 1) return props;
  if (events.some((e) => !Number.isNaN(e.time))) props.eventTimes = events.map((e) => e.time);
  if (events.some((e) => !Number.isNaN(e.rating))) props.eventRatings = events.map((e) => e.rating);
  if (events.some((e) => e.weight !== 1)) props.eventWeights = events.map((e) => e.weight);
  props.eventSources = events.map((e) => e.source);
  return props;
}

/** The events a stored relationship holds (the inverse of pairProperties); source: the dataset's first file. */
export function storedEvents(x: Partial<PairProperties>, source: string): PairEvent[] {
  const n = x.events ?? 1;
  const key = (k: number) => (x.eventIds ? { key: x.eventIds[k] } : {});
  if (n === 1) return [{ time: x.timestamp ?? Number.NaN, rating: x.rating ?? Number.NaN, weight: x.weight ?? 1, source, ...key(0) }];
  return Array.from({ length: n }, (_, k) => ({
    time: x.eventTimes?.[k] ?? Number.NaN,
    rating: x.eventRatings?.[k] ?? Number.NaN,
    weight: x.eventWeights?.[k] ?? 1,
    source: x.eventSources?.[k] ?? source,
    ...key(k),
  }));
}

/**
 * Two events with ids are the same event when their ids agree (whatever else differs); otherwise when user, item
 * (the pair), time, rating and weight agree: the content key.
 */
export function sameEvent(a: PairEvent, b: PairEvent): boolean {
  if (a.key !== undefined && b.key !== undefined && a.key !== '' && b.key !== '') return a.key === b.key;
  const eq = (x: number, y: number) => x === y || (Number.isNaN(x) && Number.isNaN(y));
  return eq(Math.trunc(a.time), Math.trunc(b.time)) && eq(a.rating, b.rating) && a.weight === b.weight;
}
