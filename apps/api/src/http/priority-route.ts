// Which process of `eior serve --workers N` answers a POST /graphql, decided by the priority worker
// (http/priority-entry.ts) from the request body before any GraphQL work: it answers itself the queries whose every
// root field is recommendations, rating or item without another model version (http/priority.ts's PRIORITY_FIELDS),
// the mix workers everything else. The test is conservative and cheap: anything it cannot read at once (not JSON, a
// large body, a long or unparsable document, several operations, a fragment at the root) goes to the mix workers,
// which answer every request as before. A wrong guess costs only speed: every worker is a whole API and answers (and
// gates, by cost) whatever it gets.
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { PRIORITY_FIELDS } from './priority';

/** Bodies and query texts longer than these go to the mix workers unread (a priority query is a few hundred bytes). */
export const MAX_ROUTED_BODY = 16_384;
export const MAX_ROUTED_QUERY = 4_096;
/** Tokens the front's parser reads at most (the API's own limit is 1,000). */
const MAX_ROUTED_TOKENS = 1_000;
/** Priority query texts remembered (the least recently used forgotten first): clients repeat theirs. */
const REMEMBERED = 1_000;
/** A priority document names one of these; a text without any is not parsed. */
const PRIORITY_NAME = /\b(recommendations|rating|item)\b/;

/** What a query text says, variables aside: not a priority one, or one unless a variable named here holds a version. */
type Verdict = { priority: false } | { priority: true; versionVariables: string[] };

/** The verdict on one document: a single query operation of PRIORITY_FIELDS, none with a literal modelVersion. */
export function documentVerdict(document: DocumentNode): Verdict {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== 'query') return { priority: false };
  const versionVariables: string[] = [];
  for (const s of operations[0].selectionSet.selections) {
    if (s.kind !== Kind.FIELD || !PRIORITY_FIELDS.has(s.name.value)) return { priority: false };
    const version = s.arguments?.find((a) => a.name.value === 'modelVersion')?.value;
    if (version === undefined || version.kind === Kind.NULL) continue;
    if (version.kind !== Kind.VARIABLE) return { priority: false };
    versionVariables.push(version.name.value);
  }
  return { priority: true, versionVariables };
}

/** Decides per request body; remembers the priority query texts, so a repeated one is not parsed again. */
export class PriorityRouter {
  private readonly verdicts = new Map<string, Verdict>();

  /** True when the body (of a POST /graphql with this content type) should go to the priority worker. */
  isPriority(body: string, contentType: string | undefined): boolean {
    if (body.length > MAX_ROUTED_BODY || !/^application\/(graphql-response\+)?json/i.test(contentType ?? '')) return false;
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      return false;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) return false;
    const { query, variables, extensions } = request as { query?: unknown; variables?: unknown; extensions?: unknown };
    if (typeof query !== 'string' || query.length > MAX_ROUTED_QUERY || extensions !== undefined) return false;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return false;
    const verdict = this.verdictOf(query);
    if (!verdict.priority) return false;
    const values = (variables ?? {}) as Record<string, unknown>;
    return verdict.versionVariables.every((name) => values[name] === undefined || values[name] === null);
  }

  private verdictOf(query: string): Verdict {
    const known = this.verdicts.get(query);
    if (known) {
      this.verdicts.delete(query); // most recently used last
      this.verdicts.set(query, known);
      return known;
    }
    if (!PRIORITY_NAME.test(query)) return { priority: false };
    let verdict: Verdict;
    try {
      verdict = documentVerdict(parse(query, { noLocation: true, maxTokens: MAX_ROUTED_TOKENS }));
    } catch {
      return { priority: false };
    }
    if (verdict.priority) {
      this.verdicts.set(query, verdict);
      if (this.verdicts.size > REMEMBERED) this.verdicts.delete(this.verdicts.keys().next().value as string);
    }
    return verdict;
  }
}
