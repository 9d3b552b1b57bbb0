// The priority lane: work that can wait yields one turn and then waits while priority operations are in flight,
// wakes when the last one ends, and is held back at most maxWaitMs; worked out by hand on a clock the test moves
// (the timer of the cap is jest's fake one).
import { PriorityLane } from '../../../apps/api/src/priority-lane';
import { slicer } from '../../../apps/api/src/yield';

const turns = async (n = 5) => {
  for (let k = 0; k < n; k++) await new Promise((r) => setImmediate(r));
};

describe('PriorityLane', () => {
  it('lets waiting work through after one turn when no priority operation is in flight', async () => {
    const lane = new PriorityLane(50, () => 0);
    const order: string[] = [];
    const waited = lane.giveWay().then((ms) => order.push(`gave way ${ms} ms`));
    order.push('same turn');
    await waited;
    expect(order).toEqual(['same turn', 'gave way 0 ms']);
  });

  it('holds waiting work while priority operations are in flight and wakes it when the last one ends', async () => {
    let t = 0;
    const lane = new PriorityLane(50, () => t);
    const endA = lane.begin();
    const endB = lane.begin();
    expect(lane.busy).toBe(2);
    const order: string[] = [];
    const waiting = lane.giveWay().then((ms) => order.push(`through after ${ms} ms`));
    await turns();
    t = 10;
    endA();
    endA(); // a second end gives nothing back
    expect(lane.busy).toBe(1);
    await turns();
    expect(order).toEqual([]);
    t = 30;
    endB();
    await waiting;
    expect(order).toEqual(['through after 30 ms']);
    expect(lane.busy).toBe(0);
  });

  it('holds work back at most maxWaitMs however many priority operations keep arriving', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'performance'] });
    try {
      let t = 0;
      const lane = new PriorityLane(50, () => t);
      const end = lane.begin();
      let through: number | null = null;
      const waiting = lane.giveWay().then((ms) => (through = ms));
      await turns();
      t = 49;
      jest.advanceTimersByTime(49);
      await turns();
      expect(through).toBeNull();
      t = 50;
      jest.advanceTimersByTime(1);
      await waiting;
      expect(through).toBe(50);
      expect(lane.busy).toBe(1); // the priority operation goes on: only the wait ended
      end();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('slicer', () => {
  it('yields once its slice is used up, and at once while a priority operation is in flight', async () => {
    const lane = new PriorityLane(50, () => 0);
    const step = slicer(1_000, lane);
    const order: string[] = [];
    // within the slice and nothing in flight: no yield (resolves before a turn of the event loop)
    const immediate = step().then(() => order.push('step'));
    setImmediate(() => order.push('turn'));
    await immediate;
    await turns();
    expect(order).toEqual(['step', 'turn']);

    const end = lane.begin();
    order.length = 0;
    const held = step().then(() => order.push('step'));
    await turns();
    expect(order).toEqual([]); // held by the priority operation, slice or not
    end();
    await held;
    expect(order).toEqual(['step']);
  });
});
