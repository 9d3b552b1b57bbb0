// graphql-armor refusals through Apollo, configured as the API configures them: the cost refusal names the field,
// the argument and its range; no refusal says "Syntax Error"; all are HTTP 400 GRAPHQL_VALIDATION_FAILED.
import { ApolloServer } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costLimitMessage, costLimitOptions, reworded } from '../../../../apps/api/src/http/armor-errors';
import { buildApiSchema } from '../../../../apps/api/src/schema/build-schema';

describe('graphql-armor errors', () => {
  let apollo: ApolloServer;
  beforeAll(async () => {
    const armor = new ApolloArmor({ costLimit: costLimitOptions(50_000), maxDepth: { n: 10, ...reworded() }, maxAliases: { n: 2, ...reworded() }, maxTokens: { enabled: false } }).protect();
    apollo = new ApolloServer({ schema: await buildApiSchema(), plugins: [...armor.plugins], validationRules: [...armor.validationRules] });
    await apollo.start();
  });
  afterAll(() => apollo.stop());

  async function refusal(query: string) {
    const res = await apollo.executeOperation({ query });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return { status: res.http.status, errors: res.body.singleResult.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })) };
  }

  it('names the field, the argument and its range when a page size is out of range', async () => {
    const query = '{ recommendations(dataset: "d", userId: "u", first: 100000) { edges { node { rating item { id } } } } }';
    // armor's cost by hand: objects 2, scalars 1, each level ×1.5, ×first at the field:
    // item { id } = 2 + 1.5·1 = 3.5; node = 2 + 1.5·(1 + 3.5) = 8.75; edges = 2 + 1.5·8.75 = 15.125;
    // recommendations = (2 + 1.5·15.125) · 100000 = 2468750
    expect(await refusal(query)).toEqual({
      status: 400,
      errors: [{ message: "Query.recommendations(first: 100000): `first` is 1 to 100 (the query's cost (2468750) is over the limit of 50000)", code: 'GRAPHQL_VALIDATION_FAILED' }],
    });
  });

  it('names the page sizes that multiply when each is in range but the product is over the limit', async () => {
    const similar = 'similarItems(first: 50) { item { similarItems(first: 50) { item { similarItems(first: 50) { item { id } } } } } }';
    const { status, errors } = await refusal(`{ item(dataset: "d", itemId: "i") { ${similar} } }`);
    expect(status).toBe(400);
    expect(errors).toHaveLength(1);
    expect(errors?.[0].code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errors?.[0].message).toMatch(/^the query's cost \(\d+\) is over the limit of 50000: .* the page sizes here are Item\.similarItems\(first: 50\), Item\.similarItems\(first: 50\), Item\.similarItems\(first: 50\): ask for smaller pages or fewer fields$/);
    expect(errors?.[0].message).not.toMatch(/Syntax Error/);
  });

  it('lets a query under the limit through to execution', async () => {
    const res = await apollo.executeOperation({ query: '{ recommendations(dataset: "d", userId: "u", first: 100) { totalCount } }' });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    // past validation: the resolver runs (and fails here, having no context), not a cost refusal
    expect(res.body.singleResult.errors?.[0].extensions?.code).not.toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses past the depth and alias limits without calling the query a syntax error', async () => {
    // depth: item 1, then five (similarItems, item) pairs 2..11, id 12
    const deep = await refusal(`{ item(dataset: "d", itemId: "i") { ${'similarItems(first: 1) { item { '.repeat(5)} id ${'} } '.repeat(5)} } }`);
    expect(deep).toEqual({ status: 400, errors: [{ message: 'Query depth limit of 10 exceeded, found 12.', code: 'GRAPHQL_VALIDATION_FAILED' }] });
    const aliases = await refusal('{ a: datasets { name } b: datasets { name } c: datasets { name } }');
    expect(aliases.status).toBe(400);
    expect(aliases.errors?.[0].message).toBe('Aliases limit of 2 exceeded, found 3.');
  });

  it('words a refusal without page arguments', () => {
    expect(costLimitMessage(10, 12, [])).toBe("the query's cost (12) is over the limit of 10: each object costs 2 and each scalar 1, a nested field 1.5 times as much, and first/last multiply the cost of their field; ask for fewer fields or fewer nested levels");
  });
});
