// Which GraphQL operations skip the work gate (http/work-gate.ts): queries whose every root field is answered from
// the served model in memory (recommendations, rating, item), without another model version, and costing little.
// Everything else (graph aggregates, model lists, tunings, drift reports, comparisons, writes) waits for a place,
// and then gives way to the priority operations in flight in the process (priority-lane.ts) before it executes.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type ValueNode } from 'graphql';
import type { PriorityLane } from '../priority-lane';
import { operationCost } from '../schema/field-cost.rule';
import type { WorkGate } from './work-gate';

/** Root fields served from the served model and the in-memory item cache. */
export const PRIORITY_FIELDS: ReadonlySet<string> = new Set(['recommendations', 'rating', 'item', '__typename']);

/** The most a priority operation may cost (schema/field-cost.rule.ts): a page of 100 recommendations with their explanations and items. */
export const PRIORITY_MAX_COST = 2_500;

/** True when `value` (of a modelVersion argument) asks for a version: a string, or a variable that holds one. */
function asksForVersion(value: ValueNode, variables: Record<string, unknown> | undefined): boolean {
  if (value.kind === Kind.NULL) return false;
  if (value.kind === Kind.VARIABLE) return variables?.[value.name.value] !== undefined && variables?.[value.name.value] !== null;
  return true;
}

/** Whether an operation skips the gate: a query of PRIORITY_FIELDS only, none with a modelVersion, within PRIORITY_MAX_COST. */
export function isPriority(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[], variables?: Record<string, unknown>): boolean {
  if (operation.operation !== 'query') return false;
  for (const s of operation.selectionSet.selections) {
    if (s.kind !== Kind.FIELD || !PRIORITY_FIELDS.has(s.name.value)) return false;
    const version = s.arguments?.find((a) => a.name.value === 'modelVersion');
    if (version && asksForVersion(version.value, variables)) return false;
  }
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  return operationCost(schema, operation, (name) => byName.get(name), variables ?? {}) <= PRIORITY_MAX_COST;
}

/** Query texts remembered as priority ones (the oldest forgotten first), and the longest text remembered. */
const KNOWN_TEXTS = 1_000;
const MAX_KNOWN_TEXT = 4_096;

/**
 * Passes every operation but the priority ones through `gate` (a place is taken before execution and given back with
 * the response). Priority operations hold `lane` from their start to their response; the rest give way to them
 * (priority-lane.ts) before their parse, before their validation and after their place in the gate, so that a
 * recommendations request read meanwhile runs first. A query text seen before as a priority operation does not give
 * way before it is parsed (its document is usually cached, so it is neither parsed nor validated again).
 */
export function workGatePlugin(gate: WorkGate, lane: PriorityLane): ApolloServerPlugin {
  const known = new Set<string>();
  return {
    async requestDidStart({ request }) {
      let release: (() => void) | null = null;
      let endPriority: (() => void) | null = null;
      const text = request.query;
      const maybePriority = text !== undefined && known.has(text);
      if (!maybePriority) await lane.giveWay();
      return {
        async validationDidStart() {
          if (!maybePriority) await lane.giveWay();
        },
        async didResolveOperation({ operation, document, schema }) {
          if (!operation) return; // Apollo answers a document without the operation asked for before this
          const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
          if (isPriority(schema, operation, fragments, request.variables)) {
            endPriority = lane.begin();
            if (text !== undefined && text.length <= MAX_KNOWN_TEXT && !known.has(text)) {
              known.add(text);
              if (known.size > KNOWN_TEXTS) known.delete(known.values().next().value as string);
            }
            return;
          }
          const fields = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '...')).join(', ');
          release = await gate.enter(`${operation.operation} { ${fields} }`);
          await lane.giveWay();
        },
        async willSendResponse() {
          release?.();
          endPriority?.();
        },
      };
    },
  };
}
