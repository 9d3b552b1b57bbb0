// The pair writers find users and items by element id: a node deleted while they write (a `datasets delete` run
// meanwhile) must make the batch fail whole, never leave some of its pairs out or attach them elsewhere.
import { dropDataset, ensureSchema, ingestDataset, prepareEvents, type GraphClient } from '../../libs/graph/src';
import { appendPairs } from '../../libs/graph/src/ingest/append-pairs';
import { newIds, planAppend } from '../../libs/graph/src/ingest/append-plan';
import { readFileNodes } from '../../libs/graph/src/ingest/file-nodes';
import { writeDataset } from '../../libs/graph/src/ingest/write-dataset';
import { datasetDigest, testGraph } from '../helpers/graph';
import { tempDir } from '../helpers/temp-dir';

const FRESH = `lost-fresh-${process.pid}`;
const APPEND = `lost-append-${process.pid}`;

describe('pairs whose user or item was deleted while they were written', () => {
  let client: GraphClient;
  const tmp = tempDir('lost');

  beforeAll(async () => {
    client = await testGraph();
    await ensureSchema(client);
    for (const n of [FRESH, APPEND]) await dropDataset(client, n);
  });
  afterAll(async () => {
    for (const n of [FRESH, APPEND]) await dropDataset(client, n);
    tmp.remove();
    await client.close();
  });

  const count = (dataset: string) =>
    client.read(async (tx) => (await tx.run('MATCH (:User {dataset: $d})-[x:INTERACTED]->() RETURN count(x) AS n', { d: dataset })).records[0].get('n') as number);

  it('fails a fresh ingest\'s batch whole when one of its items is gone', async () => {
    const file = tmp.write('fresh.csv', 'user,item,timestamp,rating\na,x,1,5\na,y,2,4\nb,x,3,3\nb,y,4,2\nb,y,5,1\n');
    const data = await prepareEvents(FRESH, { file });
    // pairs (a,x) (a,y) (b,x) of one event each and (b,y) of two: both statements of the batch list item y, so
    // neither creates anything once y is gone
    let armed = false;
    // the first batch of pairs finds item y deleted (as `eior datasets delete` would, between two batches)
    const racing = Object.create(client) as GraphClient;
    racing.write = async (work) => {
      if (armed) {
        armed = false;
        await client.write((tx) => tx.run('MATCH (i:Item {dataset: $d, id: $id}) DETACH DELETE i', { d: FRESH, id: 'y' }));
      }
      return client.write(work);
    };
    const write = writeDataset(racing, data, {
      batchSize: 100,
      fresh: true,
      onProgress: (stage, done) => {
        if (stage === 'interactions' && done === 0) armed = true;
      },
    });
    await expect(write).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/lost users or items .* found 0 of its 4 pairs' nodes/) });
    expect(await count(FRESH)).toBe(0);
  });

  it('fails an append\'s batch whole, leaving the graph as it was, when one of its items is gone', async () => {
    const base = tmp.write('base.csv', 'user,item,timestamp,rating\na,x,1,5\nb,y,2,4\n');
    await ingestDataset(client, { dataset: APPEND, events: { file: base } });
    const before = await datasetDigest(client, APPEND);
    const more = tmp.write('more.csv', 'user,item,timestamp,rating\na,x,10,3\na,y,11,2\nb,x,12,1\n');
    const plan = await planAppend({ file: more });
    const users = await readFileNodes(client, 'User', APPEND, plan.events.userTokens);
    const items = await readFileNodes(client, 'Item', APPEND, plan.events.itemTokens);
    expect(newIds(plan.events.itemTokens, items.idx, items.count)).toEqual([]);
    const userRefs = users.refs as string[];
    const itemRefs = items.refs as string[];
    // item y (second in the file) is replaced by a node of the dataset that is deleted before the batch runs
    const gone = await client.write(async (tx) =>
      (await tx.run('CREATE (i:Item {dataset: $d, id: "gone", idx: 99}) WITH i, elementId(i) AS ref DELETE i RETURN ref', { d: APPEND })).records[0].get('ref') as string,
    );
    const options = { users: users.idx, items: items.idx, userRefs, itemRefs: [itemRefs[0], gone], policy: 'first' as const, batchSize: 100, writers: 1, fallbackSource: 'base.csv', newFrom: { users: users.count, items: items.count }, onProgress: () => undefined };
    await expect(appendPairs(client, APPEND, plan, options)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/lost users or items/) });
    expect(await datasetDigest(client, APPEND)).toEqual(before);

    // with the right element ids the same batch appends: a refusal was the missing node, not the rows
    const counts = await appendPairs(client, APPEND, plan, { ...options, itemRefs });
    expect(counts).toMatchObject({ added: 3, duplicates: 0, newPairs: 2 });
    expect(await count(APPEND)).toBe(4);
  });

  it('finds the file\'s users that the dataset has, with their indexes and element ids, in lookups of any size, and counts the dataset\'s users', async () => {
    const stored = await client.read(async (tx) =>
      (await tx.run('MATCH (u:User {dataset: $d}) RETURN u.id AS id, u.idx AS idx, elementId(u) AS ref ORDER BY id', { d: APPEND })).records.map((r) => r.toObject()),
    );
    expect(stored.map((u) => u.id)).toEqual(['a', 'b']);
    const found = await readFileNodes(client, 'User', APPEND, ['b', 'nobody', 'a']);
    expect(found.count).toBe(2);
    expect([...found.idx.entries()].sort()).toEqual([['a', stored[0].idx], ['b', stored[1].idx]]);
    expect(found.refs).toEqual([stored[1].ref, undefined, stored[0].ref]);
    // one id per lookup, several lookups in flight: each find lands at its id's position all the same
    const oneByOne = await readFileNodes(client, 'User', APPEND, ['b', 'nobody', 'a'], 1);
    expect(oneByOne).toEqual(found);
    // new ones take the indexes after the dataset's: the count, not the number found
    expect(newIds(['nobody', 'a', 'zed'], found.idx, found.count)).toEqual([{ id: 'nobody', idx: 2, token: 0 }, { id: 'zed', idx: 3, token: 2 }]);
  });
});
