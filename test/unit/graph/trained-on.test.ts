import { trainedOnData } from '../../../libs/graph/src/models/trained-on';

describe('trainedOnData', () => {
  // the dataset's fingerprints: f0 at the first ingest (1,000 events), f1 after an append (+200), f2 after another (+50)
  const now = { fingerprint: 'f2', earlierFingerprints: ['f0', 'f1'], events: 1250, appends: 2 };

  it('says a version trained on the fingerprint now in the graph saw all the data', () => {
    expect(trainedOnData({ fingerprint: 'f2', events: 1250, appends: 2 }, now)).toEqual({
      fingerprint: 'f2', events: 1250, appends: 2, state: 'current', newEvents: 0, newAppends: 0,
      summary: 'trained on all 1,250 events of the data now in the graph',
    });
  });

  it('counts the events and appends a version trained on an earlier fingerprint has not seen', () => {
    const first = trainedOnData({ fingerprint: 'f0', events: 1000, appends: 0 }, now);
    expect(first).toMatchObject({ state: 'predates-appends', newEvents: 250, newAppends: 2 });
    expect(first.summary).toBe('predates 250 new events (2 appends since it was trained on 1,000 events): it still serves the users and items it was trained on; train a new version to include the rest');
    expect(trainedOnData({ fingerprint: 'f1', events: 1200, appends: 1 }, now)).toMatchObject({ state: 'predates-appends', newEvents: 50, newAppends: 1 });
    expect(trainedOnData({ fingerprint: 'f1', events: 1200, appends: 1 }, now).summary).toMatch(/^predates 50 new events \(1 append since/);
  });

  it('says a version of a fingerprint the dataset never had was trained on other data', () => {
    expect(trainedOnData({ fingerprint: 'other', events: 900, appends: 0 }, now)).toMatchObject({ state: 'other-data', newEvents: null, newAppends: null });
  });
});
