// writeBulkFiles: a prepared dataset as the offline importer's CSV, checked line by line against rows worked out by
// hand from the events (the same values and types writeDataset's fresh path gives the pairs through Cypher).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collapseEvents } from '../../../libs/graph/src/ingest/collapse-events';
import { ARRAY_DELIMITER as D, bulkFilesBlocker, writeBulkFiles } from '../../../libs/graph/src/ingest/bulk-files';
import type { PreparedDataset } from '../../../libs/graph/src/ingest/prepare';
import { REPEAT_LOG, interRows } from '../../helpers/inter-rows';

const USERS = ['a', 'b "2", x', 'c'];
const ITEMS = ['x', 'y', 'z'];

// [user, item, time, rating, split]; (b,y) twice: 200 then 100, so its earliest event (100, rating 4) represents it (REPEAT_LOG)
const LOG = REPEAT_LOG;

function prepared(userIds = USERS): PreparedDataset {
  const events = interRows(LOG, { userTokens: userIds, itemTokens: ITEMS, splitGiven: true });
  const { pairs, repeats, conflicts } = collapseEvents(events, userIds.length, 'first', { file: 'log.csv', locate: (e) => `line ${e + 2}`, userIds, itemIds: ITEMS });
  return {
    name: 'd', fingerprint: 'f', userIds, itemIds: ITEMS, rows: pairs, events, repeats, policy: 'first', conflicts,
    split: { made: 'input' }, source: 'log.csv', splitCounts: { train: 3, valid: 1, test: 1 },
    // item y has no visual row; -0 keeps its sign, 1e21 its exponent
    modalities: [{ modality: 'visual', file: '/in/img.npy', dtype: 'float32', width: 2, data: Float32Array.from([0.5, -0, 9, 9, 0.25, 1e21]), present: Uint8Array.from([1, 0, 1]) }],
  };
}

describe('writeBulkFiles', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eior-bulk-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes nodes, features and pairs with typed headers, quoted strings and the pairs of a repeated event as lists', async () => {
    const files = await writeBulkFiles(prepared(), dir);
    const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
    expect(files.nodes.map((n) => n.label)).toEqual(['User', 'Item', 'Modality']);
    expect(files.relationships.map((r) => [r.type, path.basename(r.file)])).toEqual([['HAS_FEATURE', 'features-0.csv'], ['INTERACTED', 'pairs.csv']]);
    expect(read('users.csv')).toBe(':ID(User),dataset,id,idx:long\n0,"d","a",0\n1,"d","b ""2"", x",1\n2,"d","c",2\n');
    expect(read('items.csv')).toBe(':ID(Item),dataset,id,idx:long,absent:string[]\n0,"d","x",0,\n1,"d","y",1,"visual"\n2,"d","z",2,\n');
    expect(read('modalities.csv')).toBe(':ID(Modality),dataset,name,width:long,dtype,file\n0,"d","visual",2,"float32","img.npy"\n');
    expect(read('features-0.csv')).toBe(`:START_ID(Item),:END_ID(Modality),modality,values:double[]\n0,0,"visual",0.5${D}-0.0\n2,0,"visual",0.25${D}${Math.fround(1e21)}\n`);
    expect(read('pairs.csv').split('\n')).toEqual([
      ':START_ID(User),:END_ID(Item),split,rating:double,timestamp:long,events:double,weight:double,eventTimes:double[],eventRatings:double[],eventWeights:double[],eventSources:string[],eventIds:string[]',
      '0,1,"valid",4,10,,,,,,,',
      '0,2,"train",5,30,,,,,,,',
      '1,0,"test",3,20,,,,,,,',
      `1,1,"train",4,100,2,2,100${D}200,4${D}2,,"log.csv${D}log.csv",`,
      '2,2,"train",1,40,,,,,,,',
      '',
    ]);
  });

  it('names an id the CSV cannot carry (a line break or U+001F), and lets every other string through', () => {
    expect(bulkFilesBlocker(prepared())).toBeNull();
    expect(bulkFilesBlocker(prepared(['a', 'b\nc', 'd']))).toBe('user id "b\\nc" holds a line break or the character U+001F, which the bulk import\'s CSV does not carry');
    expect(bulkFilesBlocker(prepared(['a', `b${D}`, 'd']))).toMatch(/^user id "b\\u001f"/);
  });
});
