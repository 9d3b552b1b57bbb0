// Interactions per calendar day (UTC) and source, for the BI tables and the drift time windows. Interactions
// without a timestamp (null or 0, as in TikTok's files) have no day and are left out.
import type { GraphClient } from '../db/client';

export interface InteractionsPerDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** `train`, `valid`, `test` (ingested) or `feedback` (recorded through the API). */
  source: string;
  interactions: number;
  users: number;
}

const PER_DAY = `
CALL () {
  MATCH (u:User {dataset: $dataset})-[x:INTERACTED]->()
  WHERE x.timestamp IS NOT NULL AND x.timestamp <> 0
  RETURN u.idx AS user, x.split AS source, x.timestamp AS t
  UNION ALL
  MATCH (f:Feedback {dataset: $dataset})
  RETURN f.userIdx AS user, 'feedback' AS source, f.timestamp AS t
}
WITH source, toString(date(datetime({epochSeconds: toInteger(t)}))) AS day, user
RETURN day, source, count(*) AS interactions, count(DISTINCT user) AS users
ORDER BY day, source`;

export async function interactionsPerDay(client: GraphClient, dataset: string): Promise<InteractionsPerDay[]> {
  return client.read(async (tx) => (await tx.run(PER_DAY, { dataset })).records.map((r) => r.toObject() as InteractionsPerDay));
}
