// Which data a model version was trained on, against the data now in the graph. Every append chains the dataset's
// fingerprint (sha256 of the previous one and the appended files) and keeps the earlier ones, so a version's
// fingerprint says whether it saw all the data, predates some appends (it still serves the users and items it
// knows, and says how many events it has not seen), or came from other data (a re-ingest: it cannot serve).
export interface TrainedOnRecord {
  /** The dataset's fingerprint when the version was trained. */
  fingerprint: string;
  /** Events in the dataset then. */
  events: number;
  /** Appends made to the dataset by then. */
  appends: number;
}

export type TrainedOnState = 'current' | 'predates-appends' | 'other-data';

export interface TrainedOn extends TrainedOnRecord {
  state: TrainedOnState;
  /** Events that joined the dataset after the version was trained: 0 when current, null for other data. */
  newEvents: number | null;
  /** Appends made after the version was trained: 0 when current, null for other data. */
  newAppends: number | null;
  /** One sentence for people. */
  summary: string;
}

/** The dataset as it is now: its fingerprint, the earlier ones (oldest first), its events and appends. */
export interface DataNow {
  fingerprint: string;
  earlierFingerprints: readonly string[];
  events: number;
  appends: number;
}

export function trainedOnData(run: TrainedOnRecord, now: DataNow): TrainedOn {
  if (run.fingerprint === now.fingerprint) {
    return { ...run, state: 'current', newEvents: 0, newAppends: 0, summary: `trained on all ${count(run.events, 'event')} of the data now in the graph` };
  }
  const before = now.earlierFingerprints.indexOf(run.fingerprint);
  if (before < 0) {
    return { ...run, state: 'other-data', newEvents: null, newAppends: null, summary: 'trained on other data (the dataset was ingested again since): it cannot serve; train a new version' };
  }
  // earlierFingerprints[k] is the fingerprint before append k + 1: a version with it saw k appends
  const newAppends = now.appends - before;
  const newEvents = Math.max(0, now.events - run.events);
  return {
    ...run,
    state: 'predates-appends',
    newEvents,
    newAppends,
    summary: `predates ${count(newEvents, 'new event')} (${count(newAppends, 'append')} since it was trained on ${count(run.events, 'event')}): ` +
      'it still serves the users and items it was trained on; train a new version to include the rest',
  };
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
