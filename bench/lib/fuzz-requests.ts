// Seeded hostile traffic for the GraphQL API, built from its schema: queries of every root field with selections
// drawn from the schema's types and arguments at their boundaries or hostile, unauthenticated mutations, malformed
// bodies, batches, deep and wide documents, subscriptions and persisted-query extensions. Used by the fuzz test
// (test/integration/api-fuzz.test.ts, a few hundred requests) and bench/api-fuzz.ts (10,000).
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** What the generator knows of the served data: real names, so that many requests get past the checks. */
export interface FuzzTargets {
  datasets: string[];
  /** A dataset in the graph without a trained model (its requests may answer MODEL_NOT_READY). */
  withoutModel?: string;
  users: string[];
  items: string[];
  versions: string[];
}

export type FuzzKind = 'drift' | 'recommendations-20' | 'other';

export interface FuzzRequest {
  /** What the request tries, for reports ("query item", "malformed: batch", ...). */
  label: string;
  kind: FuzzKind;
  method: 'POST' | 'GET';
  /** Path and query string after the host. */
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

/** mulberry32: a small seeded generator, so a failing request can be made again from its seed and index. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '../../../../etc/passwd',
  '..',
  '.',
  '/',
  '\u0000',
  'a\u0000b',
  '%2e%2e%2f',
  '"}) MATCH (n) DETACH DELETE n //',
  "' OR 1=1 --",
  '$dataset',
  '{"$gt": ""}',
  '😀🧪\u202Eevil',
  'ü'.repeat(300),
  'x'.repeat(5_000),
  '1 ',
  '1.0',
  '-1',
  '0x10',
  'NaN',
  '__proto__',
  'constructor',
  'CON',
  '\\\\server\\share',
  'v0001/../../v0002',
];
const INTS = [0, 1, -1, 2, 19, 20, 21, 50, 51, 99, 100, 101, 1_000, 2 ** 31 - 1, -(2 ** 31)];
const BAD_INTS: unknown[] = [2 ** 31, 2 ** 53, 1.5, 'ten', null, true, [], {}];

export class FuzzRequests {
  private readonly schema: GraphQLSchema;
  private readonly random: () => number;

  constructor(
    sdl: string,
    private readonly targets: FuzzTargets,
    seed: number,
  ) {
    this.schema = buildSchema(sdl);
    this.random = seeded(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  /** The next request of the mix: mostly queries built from the schema, the rest hostile in the ways above. */
  next(): FuzzRequest {
    const r = this.random();
    if (r < 0.08) return this.recommendations20();
    if (r < 0.14) return this.query(this.field('drift'), 'drift');
    if (r < 0.66) return this.query(this.pick(Object.values(this.schema.getQueryType()!.getFields())));
    if (r < 0.76) return this.mutation();
    return this.malformed();
  }

  /** recommendations(first: 20) of a real user, on the served version: the request whose latency the bench watches. */
  recommendations20(): FuzzRequest {
    const query = `query($d: String!, $u: String!) { recommendations(dataset: $d, userId: $u, first: 20) { totalCount modelVersion edges { cursor node { rank rating item { id } explanation { invariantWeight summary } } } } }`;
    return post('recommendations(first: 20)', 'recommendations-20', { query, variables: { d: this.pick(this.targets.datasets), u: this.pick(this.targets.users) } });
  }

  private field(name: string): GraphQLField<unknown, unknown> {
    return this.schema.getQueryType()!.getFields()[name];
  }

  private query(field: GraphQLField<unknown, unknown>, kind?: FuzzKind): FuzzRequest {
    const variables: Record<string, unknown> = {};
    const defs: string[] = [];
    const args = field.args
      .filter((a) => isNonNullType(a.type) || this.chance(0.6))
      .map((a) => {
        const value = this.argValue(a);
        if (this.chance(0.7)) {
          defs.push(`$${a.name}: ${String(a.type)}`);
          variables[a.name] = value;
          return `${a.name}: $${a.name}`;
        }
        return `${a.name}: ${literal(value)}`;
      });
    const selection = this.selection(getNamedType(field.type), 0);
    const call = `${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection}`;
    const query = `query${defs.length ? `(${defs.join(', ')})` : ''} { ${call} }`;
    const label = field.name === 'recommendations' && variables.modelVersion ? 'query recommendations(modelVersion)' : `query ${field.name}`;
    return post(label, kind ?? (field.name === 'drift' ? 'drift' : 'other'), { query, variables });
  }

  /** A value for an argument: mostly a real one, often a boundary, sometimes hostile or of the wrong type. */
  private argValue(arg: GraphQLArgument): unknown {
    const t = this.targets;
    const hostile = this.chance(0.25);
    switch (arg.name) {
      case 'dataset':
        if (!hostile) return this.chance(0.1) && t.withoutModel ? t.withoutModel : this.pick(t.datasets);
        return this.pick([...HOSTILE_STRINGS, 'nosuchdataset', 'TikTok', `${t.datasets[0]}.`, `${t.datasets[0]} `]);
      case 'userId':
        return hostile ? this.pick(HOSTILE_STRINGS) : this.pick(t.users);
      case 'itemId':
        return hostile ? this.pick(HOSTILE_STRINGS) : this.pick(t.items);
      case 'modelVersion':
        return hostile ? this.pick(['v0099', 'latest', 'v1', 'V0001', '../v0001', 'v0001\u0000', ...HOSTILE_STRINGS]) : this.chance(0.5) ? null : this.pick(t.versions);
      case 'after':
        return hostile ? this.pick(HOSTILE_STRINGS) : Buffer.from(JSON.stringify(['c', this.pick(t.versions), this.pick(INTS)])).toString('base64url');
      default:
        return this.typedValue(arg.type, hostile);
    }
  }

  private typedValue(type: GraphQLInputType, hostile: boolean): unknown {
    if (isNonNullType(type)) return this.typedValue(type.ofType, hostile);
    if (isListType(type)) return Array.from({ length: this.pick([0, 1, 2, 3]) }, () => this.typedValue(type.ofType, hostile));
    if (hostile) return this.pick([...BAD_INTS, ...HOSTILE_STRINGS.slice(0, 8)]);
    if (isEnumType(type)) return this.pick(type.getValues()).name;
    if (isInputObjectType(type)) return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, this.typedValue(f.type, false)]));
    if (isScalarType(type)) {
      if (type.name === 'Int') return this.pick(INTS);
      if (type.name === 'Float') return this.pick([0, 1.5, -1, 1e308]);
      if (type.name === 'Boolean') return this.chance(0.5);
      return this.pick(['x', '1', 'v0001']);
    }
    return null;
  }

  /** A selection of an object type: some scalar fields, and nested objects to a small depth. */
  private selection(type: ReturnType<typeof getNamedType>, depth: number): string {
    if (!isObjectType(type)) return '';
    const fields = Object.values((type as GraphQLObjectType).getFields());
    const chosen = fields.filter((f) => this.chance(0.5) && (depth < 3 || !isObjectType(getNamedType(f.type))));
    const leaves = fields.filter((f) => !isObjectType(getNamedType(f.type)) && f.args.length === 0);
    if (!chosen.some((f) => !isObjectType(getNamedType(f.type)))) chosen.push(leaves.length ? this.pick(leaves) : fields[0]);
    const parts = [...new Set(chosen)].map((f) => {
      const args = f.args.filter((a) => isNonNullType(a.type) || this.chance(0.3)).map((a) => `${a.name}: ${literal(this.typedValue(a.type, this.chance(0.2)))}`);
      return `${f.name}${args.length ? `(${args.join(', ')})` : ''}${this.selection(getNamedType(f.type), depth + 1)}`;
    });
    return ` { ${parts.join(' ')} }`;
  }

  /** Mutations without a key: recordInteractions with valid, invalid and malformed inputs; useModelVersion. */
  private mutation(): FuzzRequest {
    if (this.chance(0.15)) {
      const version = this.chance(0.5) ? this.pick(this.targets.versions) : this.pick(['v0099', '../v0001', 'latest', ...HOSTILE_STRINGS]);
      const dataset = this.chance(0.7) ? this.pick(this.targets.datasets) : this.pick(HOSTILE_STRINGS);
      const query = 'mutation($d: String!, $v: String!) { useModelVersion(dataset: $d, version: $v) { version current } }';
      return post('mutation useModelVersion', 'other', { query, variables: { d: dataset, v: version } });
    }
    const base = { id: `fuzz-${Math.floor(this.random() * 1e9)}`, userId: this.pick(this.targets.users), itemId: this.pick(this.targets.items), occurredAt: '2026-11-27T21:00:00Z' };
    const variants: unknown[] = [
      [base],
      [],
      [{ ...base, occurredAt: 'yesterday' }],
      [{ ...base, occurredAt: '+275760-09-13T00:00:00Z' }],
      [{ ...base, rating: 'abc' }],
      [{ ...base, extra: 1 }],
      [null],
      null,
      'not a list',
      { id: 1 },
      Array.from({ length: 1_001 }, (_, k) => ({ ...base, id: `f${k}` })),
      [{ ...base, userId: this.pick(HOSTILE_STRINGS) }],
    ];
    const dataset = this.chance(0.7) ? this.pick(this.targets.datasets) : this.pick(HOSTILE_STRINGS);
    const query = 'mutation($d: String!, $x: [InteractionInput!]!) { recordInteractions(dataset: $d, interactions: $x) { recorded unchanged } }';
    if (this.chance(0.2)) {
      const inline = `mutation { recordInteractions(dataset: ${literal(dataset)}, interactions: [{id: "1", userId: "1", itemId: "1", occurredAt: ${this.pick(['5', 'null', '"x"', '"2026-11-27T21:00:00Z"'])}}]) { recorded } }`;
      return post('mutation recordInteractions (inline)', 'other', { query: inline });
    }
    const headers: Record<string, string> = this.chance(0.2) ? { authorization: `Bearer ${this.pick(['eior_wrong', '', 'x'.repeat(10_000), 'eior_'])}` } : {};
    return post('mutation recordInteractions', 'other', { query, variables: { d: dataset, x: this.pick(variants) } }, headers);
  }

  private malformed(): FuzzRequest {
    const d = this.pick(this.targets.datasets);
    const deep = (n: number) => `{ item(dataset: ${literal(d)}, itemId: ${literal(this.pick(this.targets.items))}) { ${'similarItems { item { '.repeat(n)} id ${'} } '.repeat(n)} } }`;
    const cases: [string, () => FuzzRequest][] = [
      ['not JSON', () => raw('malformed: not JSON', '{"query": "{ datasets { name } }"')],
      ['empty body', () => raw('malformed: empty body', '')],
      ['JSON null', () => raw('malformed: JSON null', 'null')],
      ['JSON string', () => raw('malformed: JSON string', '"{ datasets { name } }"')],
      ['query not a string', () => post('malformed: query not a string', 'other', { query: 5 })],
      ['variables a string', () => post('malformed: variables a string', 'other', { query: '{ datasets { name } }', variables: '{}' })],
      ['batch', () => raw('malformed: batch', JSON.stringify([{ query: '{ datasets { name } }' }, { query: '{ datasets { name } }' }]))],
      ['subscription', () => post('malformed: subscription', 'other', { query: 'subscription { datasets { name } }' })],
      ['persisted query (null hash)', () => post('malformed: persisted query', 'other', { query: '{ datasets { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: null } } })],
      ['persisted query (hash only)', () => post('malformed: persisted query', 'other', { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } })],
      ['syntax error', () => post('malformed: syntax error', 'other', { query: '{ recommendations(dataset: "x" { id }' })],
      ['unknown field', () => post('malformed: unknown field', 'other', { query: '{ nope }' })],
      ['deep document', () => post('malformed: deep document', 'other', { query: deep(this.pick([4, 6, 12])) })],
      ['alias flood', () => post('malformed: alias flood', 'other', { query: `{ ${Array.from({ length: 40 }, (_, k) => `a${k}: datasets { name }`).join(' ')} }` })],
      ['version flood', () => post('malformed: version flood', 'other', { query: `{ ${this.targets.versions.concat(['v0002', 'v0003']).map((v, k) => `r${k}: recommendations(dataset: ${literal(d)}, userId: ${literal(this.pick(this.targets.users))}, modelVersion: ${literal(v)}) { totalCount }`).join(' ')} }` })],
      ['fragment cycle', () => post('malformed: fragment cycle', 'other', { query: '{ datasets { ...F } } fragment F on Dataset { name ...F }' })],
      ['token flood', () => post('malformed: token flood', 'other', { query: `{ datasets { ${'name '.repeat(2_000)} } }` })],
      ['directive flood', () => post('malformed: directive flood', 'other', { query: `{ datasets { name ${'@include(if: true) '.repeat(50)} } }` })],
      ['two operations', () => post('malformed: two operations', 'other', { query: 'query A { datasets { name } } query B { datasets { name } }' })],
      ['wrong content type', () => ({ ...post('malformed: wrong content type', 'other', { query: '{ datasets { name } }' }), headers: { 'content-type': 'text/plain' } })],
      ['GET without preflight header', () => ({ label: 'malformed: cross-site GET', kind: 'other', method: 'GET', path: `/graphql?query=${encodeURIComponent('{ datasets { name } }')}`, headers: {}, body: null })],
      ['GET mutation', () => ({ label: 'malformed: GET mutation', kind: 'other', method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { recordInteractions(dataset: "x", interactions: []) { recorded } }')}`, headers: { 'apollo-require-preflight': '1' }, body: null })],
      ['bad operation name', () => post('malformed: operation name', 'other', { query: '{ datasets { name } }', operationName: this.pick(['nope', 7, null]) })],
      ['big body', () => post('malformed: big body', 'other', { query: `{ datasets { name } } #${'x'.repeat(1_100_000)}` })],
      ['unknown route', () => ({ label: 'malformed: unknown route', kind: 'other', method: 'GET', path: this.pick(['/graphql/../etc/passwd', '/nope', '/export/..%2f..%2fetc', '/%00']), headers: {}, body: null })],
    ];
    return this.pick(cases)[1]();
  }
}

function post(label: string, kind: FuzzKind, body: unknown, headers: Record<string, string> = {}): FuzzRequest {
  return { label, kind, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function raw(label: string, body: string): FuzzRequest {
  return { label, kind: 'other', method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body };
}

/** A GraphQL literal of a JSON-like value (strings escaped as JSON, which GraphQL string syntax accepts). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')}}`;
}
