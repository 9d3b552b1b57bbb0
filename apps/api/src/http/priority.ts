// Which GraphQL operations skip the work gate (http/work-gate.ts): queries whose every root field is answered from
// the served model in memory (recommendations, rating, item), without another model version, and costing little.
// Everything else (graph aggregates, model lists, tunings, drift reports, comparisons, writes) waits for a place.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type ValueNode } from 'graphql';
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

/** Passes every operation but the priority ones through `gate`: a place is taken before execution and given back with the response. */
export function workGatePlugin(gate: WorkGate): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let release: (() => void) | null = null;
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return; // Apollo answers a document without the operation asked for before this
          const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
          if (isPriority(schema, operation, fragments, request.variables)) return;
          const fields = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '...')).join(', ');
          release = await gate.enter(`${operation.operation} { ${fields} }`);
        },
        async willSendResponse() {
          release?.();
        },
      };
    },
  };
}
