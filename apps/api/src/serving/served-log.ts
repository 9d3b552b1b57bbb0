// Recommendations the API served, kept in memory per dataset (a bounded ring, newest kept): the drift report
// reads the distribution of α_I over them, and the BI tables can show what was served.
export interface ServedRecommendation {
  at: number;
  version: string;
  user: number;
  item: number;
  rank: number;
  rating: number;
  /** α_I of the pair; null for models without an invariant/variant split. */
  invariantWeight: number | null;
}

export const SERVED_LOG_CAPACITY = 100_000;

export class ServedLog {
  private readonly rings = new Map<string, { rows: ServedRecommendation[]; next: number; total: number }>();

  constructor(
    private readonly capacity = SERVED_LOG_CAPACITY,
    private readonly onRecord: (dataset: string) => void = () => {},
  ) {}

  record(dataset: string, row: ServedRecommendation): void {
    let ring = this.rings.get(dataset);
    if (!ring) this.rings.set(dataset, (ring = { rows: [], next: 0, total: 0 }));
    if (ring.rows.length < this.capacity) ring.rows.push(row);
    else ring.rows[ring.next] = row;
    ring.next = (ring.next + 1) % this.capacity;
    ring.total++;
    this.onRecord(dataset);
  }

  /** Served rows of a dataset, oldest first (at most the capacity). */
  rows(dataset: string): ServedRecommendation[] {
    const ring = this.rings.get(dataset);
    if (!ring) return [];
    return ring.rows.length < this.capacity ? [...ring.rows] : [...ring.rows.slice(ring.next), ...ring.rows.slice(0, ring.next)];
  }

  /** Everything ever recorded for the dataset, including rows the ring has dropped. */
  total(dataset: string): number {
    return this.rings.get(dataset)?.total ?? 0;
  }
}
