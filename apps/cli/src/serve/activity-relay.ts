// The primary's side of the BI thread's view of the other workers (`eior serve --workers N`): workers 2..N report
// each GraphQL request's start (+1) and end (-1), the primary passes them on to worker 1 and keeps each worker's
// balance, so that a worker that dies with requests in flight has them ended for it (its -1s never come).

/** A worker's request began (+1) or ended (-1). */
export type ActivityDelta = 1 | -1;

/** Per worker, its requests in flight as worker 1 has been told them. */
export class ActivityRelay {
  private readonly balance = new Map<number, number>();

  /** Worker `index` reported `delta`: the delta to pass on to worker 1. */
  report(index: number, delta: ActivityDelta): ActivityDelta {
    this.balance.set(index, (this.balance.get(index) ?? 0) + delta);
    return delta;
  }

  /** Worker `index` exited: the -1s to pass on for its requests that never ended. */
  exited(index: number): ActivityDelta[] {
    const open = Math.max(this.balance.get(index) ?? 0, 0);
    this.balance.delete(index);
    return Array.from({ length: open }, () => -1 as const);
  }
}
