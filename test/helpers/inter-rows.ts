// Event rows (InterRows, as the ingest readers hand them on) from a hand-written list, for the unit tests of what
// collapses and writes them.
import type { InterRows } from '../../libs/graph/src/ingest/inter-reader';

/** One event in dense indexes: [user, item, time, rating, split]. */
export type EventTuple = [number, number, number, number, number];

export interface InterRowsExtras {
  userTokens: string[];
  itemTokens: string[];
  weights?: number[];
  /** Each event's key, in event order (the tokens; their indexes are the events'). */
  eventKeys?: string[];
  splitGiven?: boolean;
}

export function interRows(list: EventTuple[], extras: InterRowsExtras): InterRows {
  return {
    count: list.length,
    users: Int32Array.from(list, (e) => e[0]),
    items: Int32Array.from(list, (e) => e[1]),
    timestamps: Float64Array.from(list, (e) => e[2]),
    ratings: Float64Array.from(list, (e) => e[3]),
    splits: Uint8Array.from(list, (e) => e[4]),
    ...(extras.weights ? { weights: Float64Array.from(extras.weights) } : {}),
    ...(extras.splitGiven !== undefined ? { splitGiven: extras.splitGiven } : {}),
    userTokens: extras.userTokens,
    itemTokens: extras.itemTokens,
    ...(extras.eventKeys ? { eventKeys: Int32Array.from(extras.eventKeys, (_, k) => k), eventKeyTokens: extras.eventKeys } : {}),
    bytes: 0,
  };
}

/**
 * Six events of users 0-2 on items 0-2, [user, item, time, rating, split]; (1, 1) twice, at 200 then 100, so its
 * earliest event (time 100, rating 4) represents the pair: five pairs, sorted by user then item (0,1) (0,2) (1,0)
 * (1,1) (2,2). The ingest tests work their expected rows out by hand from it.
 */
export const REPEAT_LOG: EventTuple[] = [
  [0, 2, 30, 5, 0],
  [1, 1, 200, 2, 0],
  [0, 1, 10, 4, 1],
  [1, 0, 20, 3, 2],
  [2, 2, 40, 1, 0],
  [1, 1, 100, 4, 0],
];
