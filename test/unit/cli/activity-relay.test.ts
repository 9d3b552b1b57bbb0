// The primary's relay of the other workers' requests in flight to worker 1 (eior serve --workers N): deltas pass
// through unchanged, and a worker that exits with requests open has exactly those ended for it.
import { ActivityRelay } from '../../../apps/cli/src/serve/activity-relay';

describe('activity relay', () => {
  it('passes each delta on as it came', () => {
    const relay = new ActivityRelay();
    expect([relay.report(2, 1), relay.report(2, -1), relay.report(3, 1)]).toEqual([1, -1, 1]);
  });

  it('ends the requests a dead worker left open, and only its own', () => {
    const relay = new ActivityRelay();
    // worker 2: three began, one ended -> two open; worker 3: one began
    for (const d of [1, 1, -1, 1] as const) relay.report(2, d);
    relay.report(3, 1);
    expect(relay.exited(2)).toEqual([-1, -1]);
    // a second exit report of the same worker ends nothing more
    expect(relay.exited(2)).toEqual([]);
    expect(relay.exited(3)).toEqual([-1]);
  });

  it('ends nothing for a worker whose requests had all ended, or that never reported', () => {
    const relay = new ActivityRelay();
    relay.report(2, 1);
    relay.report(2, -1);
    expect(relay.exited(2)).toEqual([]);
    expect(relay.exited(4)).toEqual([]);
  });
});
