// Events per calendar day (UTC), every event of a repeated pair counted on its own day, so the dashboard shows the
// events of each append as they join. Events without a time (no timestamp column, or 0 as in TikTok's files) have
// no day and are left out; `undated` counts them.
import type { GraphClient } from '../db/client';

export interface EventDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  events: number;
}

export interface EventsPerDay {
  days: EventDay[];
  /** Events without a time. */
  undated: number;
}

// A pair of one event keeps its time in `timestamp`; a repeated pair every event's in `eventTimes` (NaN where one
// has none).
const PER_DAY = `
MATCH (:User {dataset: $dataset})-[x:INTERACTED]->()
UNWIND coalesce(x.eventTimes, [coalesce(x.timestamp, 0)]) AS t
WITH CASE WHEN isNaN(toFloat(t)) OR t = 0 THEN null ELSE toString(date(datetime({epochSeconds: toInteger(t)}))) END AS day
RETURN day, count(*) AS events
ORDER BY day`;

export async function eventsPerDay(client: GraphClient, dataset: string): Promise<EventsPerDay> {
  const rows = await client.read(async (tx) => (await tx.run(PER_DAY, { dataset })).records.map((r) => ({ day: r.get('day') as string | null, events: r.get('events') as number })));
  return { days: rows.filter((r): r is EventDay => r.day !== null), undated: rows.find((r) => r.day === null)?.events ?? 0 };
}
