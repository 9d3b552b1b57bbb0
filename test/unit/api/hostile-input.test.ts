// What stands between a hostile request and the server's work: one check per identifier, the per-client limits
// on loading other model versions, the price of root fields, and operations the schema does not have.
import { buildSchema, parse, validate } from 'graphql';
import { ApiError } from '../../../apps/api/src/errors';
import { checkDatasetName, checkItemId, checkUserId, checkVersionName } from '../../../apps/api/src/identifiers';
import { DRIFT_COST, VERSION_COST, fieldCostRule } from '../../../apps/api/src/schema/field-cost.rule';
import { knownOperationTypeRule } from '../../../apps/api/src/schema/operation-type.rule';
import { VersionLoadLimiter } from '../../../apps/api/src/serving/version-loads';

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (err) {
    return err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
  }
};

describe('identifiers', () => {
  it('accepts dataset names by the ingest rule and refuses anything else naming the rule', () => {
    for (const ok of ['tiktok', 'generated', 'a', 'A.b-c_1', 'x'.repeat(64)]) expect(checkDatasetName(ok)).toBe(ok);
    for (const bad of ['', '.', '..', '../../../../etc/passwd', '\u0000', 'a b', '-a', '_a', 'x'.repeat(65), 'a/b', 'tiktok\n']) {
      expect(codeOf(() => checkDatasetName(bad))).toMatch(/^BAD_USER_INPUT: dataset = ".*" is not a dataset name: expected 1 to 64 letters, digits, '_', '\.' or '-', starting with a letter or digit/);
    }
  });

  it('accepts versions v and four digits only', () => {
    expect(checkVersionName('v0001')).toBe('v0001');
    for (const bad of ['v1', 'v00001', 'latest', 'V0001', 'v0001/', '../v0001', ' v0001']) expect(codeOf(() => checkVersionName(bad))).toMatch(/^BAD_USER_INPUT: modelVersion = ".*" is not a model version: expected v and four digits/);
  });

  it('accepts user and item ids of 1 to 256 characters without control characters', () => {
    for (const ok of ['0', '1 ', '../../etc/passwd', '"}) RETURN 1 //', 'ü'.repeat(256), '😀\u202E']) expect(checkUserId(ok)).toBe(ok);
    expect(codeOf(() => checkUserId(''))).toMatch(/userId = "" is not a user id \(it is empty\)/);
    expect(codeOf(() => checkItemId('x'.repeat(257)))).toMatch(/itemId = "x{80}…" is not an item id \(it is 257 characters long\)/);
    expect(codeOf(() => checkItemId('a\u0000'))).toMatch(/holds a control character/);
    expect(codeOf(() => checkUserId('a\u0085', 'interactions[3].userId'))).toMatch(/^BAD_USER_INPUT: interactions\[3\]\.userId/);
  });
});

describe('VersionLoadLimiter', () => {
  const later = () => {
    let release!: () => void;
    const done = new Promise<string>((resolve) => {
      release = () => resolve('loaded');
    });
    return { done, release };
  };

  it('lets a client load its burst, then answers 429 with the seconds until its allowance comes back', async () => {
    const limiter = new VersionLoadLimiter({ burst: 2, refillSeconds: 30, maxQueued: 5, maxWaitMs: 1_000 });
    expect(await limiter.run('a', 'v1', async () => 'one')).toBe('one');
    expect(await limiter.run('a', 'v2', async () => 'two')).toBe('two');
    await expect(limiter.run('a', 'v3', async () => 'three')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', extensions: { retryAfterSeconds: 30 } });
    expect(await limiter.run('b', 'v3', async () => 'other client')).toBe('other client');
  });

  it('runs one load at a time and refuses past the queue bound without running the load', async () => {
    const limiter = new VersionLoadLimiter({ burst: 10, refillSeconds: 1, maxQueued: 1, maxWaitMs: 1_000 });
    const first = later();
    const second = later();
    let started = 0;
    const a = limiter.run('a', 'v1', () => ((started += 1), first.done));
    const b = limiter.run('b', 'v2', () => ((started += 1), second.done));
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(1); // b waits behind a
    let ran = false;
    await expect(limiter.run('c', 'v3', async () => ((ran = true), 'no'))).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(ran).toBe(false);
    first.release();
    await a;
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(2);
    second.release();
    expect(await b).toBe('loaded');
  });

  it('lets a request wait for a load only so long, answering 429 while the load goes on', async () => {
    const limiter = new VersionLoadLimiter({ burst: 2, refillSeconds: 30, maxQueued: 2, maxWaitMs: 20 });
    const slow = later();
    await expect(limiter.awaitLoad(slow.done, 'version v0001')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^version v0001 is still loading: retry in \d+ s/) });
    slow.release();
    expect(await limiter.awaitLoad(slow.done, 'version v0001')).toBe('loaded');
  });
});

describe('operation rules', () => {
  const schema = buildSchema(`
    type Query { drift(dataset: String!): Int recommendations(dataset: String!, modelVersion: String): Int datasets: Int item: Item }
    type Item { id: ID similarItems(first: Int = 10): [Similar] }
    type Similar { item: Item }
    type Mutation { record: Int }
  `);
  const errors = (query: string, budget = 10_000) => validate(schema, parse(query), [knownOperationTypeRule, fieldCostRule(budget)]).map((e) => e.message);

  it('refuses subscriptions, which the schema does not have', () => {
    expect(errors('subscription { datasets }')).toEqual(['this API has no subscription operations: send a query or a mutation']);
    expect(errors('mutation { record }')).toEqual([]);
  });

  it('charges comparisons with another version and drift for what they do, through aliases and fragments', () => {
    expect(errors('{ a: recommendations(dataset: "d") b: recommendations(dataset: "d", modelVersion: null) datasets }')).toEqual([]);
    expect(errors('{ a: recommendations(dataset: "d", modelVersion: "v0001") b: recommendations(dataset: "d", modelVersion: "v0002") }')).toEqual([]);
    const three = `query($v: String) { a: recommendations(dataset: "d", modelVersion: $v) ...F ... on Query { c: recommendations(dataset: "d", modelVersion: "v0003") } } fragment F on Query { b: recommendations(dataset: "d", modelVersion: "v0002") }`;
    expect(errors(three)).toEqual([expect.stringMatching(new RegExp(`^the operation costs ${3 * VERSION_COST} and the limit is 10000: .*modelVersion ${VERSION_COST}.*drift ${DRIFT_COST}`))]);
    expect(errors(`{ ${Array.from({ length: 21 }, (_, k) => `d${k}: drift(dataset: "d")`).join(' ')} }`)).toHaveLength(1); // 21 × 500 > 10,000
  });

  it('multiplies a selection by the first of the list fields around it, worked out by hand', () => {
    const nest = (n: number, first = '') => `{ item { ${`similarItems${first} { item { `.repeat(n)} id ${'} } '.repeat(n)} } }`;
    // item 1 + 10 × (similarItems 1 + item 1 + id 1) = 31; n levels: c(n) = 1 + 10 × (1 + c(n - 1)), c(0) = 1 (id)
    const c = (n: number): number => (n === 0 ? 1 : 1 + 10 * (1 + c(n - 1)));
    expect(c(3)).toBe(1 + 10 * (1 + 1 + 10 * (1 + 1 + 10 * (1 + 1))));
    expect(errors(nest(3), c(3) + 1)).toEqual([]);
    expect(errors(nest(3), c(3) - 1)).toEqual([expect.stringMatching(new RegExp(`^the operation costs ${1 + c(3)} `))]);
    expect(errors(nest(4))).toHaveLength(1); // 1 + c(4) = 22,223 > 10,000
    expect(errors(`query($n: Int) ${nest(2, '(first: $n)')}`, 1 + (1 + 100 * (1 + 1 + 100 * 2)))).toEqual([]); // a variable counts as 100 for a field of no known maximum
  });
});
