// The cost of an operation by what its fields do, which graphql-armor's shape-based cost cannot see: a field with
// `first` repeats its selection that many times (similarItems inside similarItems multiplies), asking for another
// model version may load it (seconds of CPU), and a drift report is a large object. Every field costs 1, times the
// `first` of the fields around it; an operation over the budget fails validation with 400, before any work.
import {
  GraphQLError,
  Kind,
  getNamedType,
  isObjectType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** A comparison with another model version: may load it (about 3 s of CPU on TikTok). */
export const VERSION_COST = 5_000;
/** A drift report read from memory: built in the background, but hundreds of values. */
export const DRIFT_COST = 500;
/** `first` given as a variable is not known at validation: it is charged at the most the resolver allows. */
const MAX_FIRST: Record<string, number> = { recommendations: 100, similarItems: 50, becauseYouInteractedWith: 20 };

/**
 * The field's own cost: root fields priced by what they do, 1 for the rest. A modelVersion given as a variable counts
 * as a version unless `variables` (known after validation) hold null or nothing for it.
 */
function ownCost(field: FieldNode, root: boolean, variables?: Record<string, unknown>): number {
  if (!root) return 1;
  if (field.name.value === 'drift') return DRIFT_COST;
  const version = (field.arguments ?? []).find((a) => a.name.value === 'modelVersion')?.value;
  const asked = version !== undefined && version.kind !== Kind.NULL && !(version.kind === Kind.VARIABLE && variables && (variables[version.name.value] ?? null) === null);
  return asked && (field.name.value === 'recommendations' || field.name.value === 'rating') ? VERSION_COST : 1;
}

/** How many times the field's selection is resolved: its `first` (literal, default, or at most for a variable). */
function repeats(field: FieldNode, defaultFirst: unknown): number {
  const first = (field.arguments ?? []).find((a) => a.name.value === 'first');
  if (!first) return typeof defaultFirst === 'number' ? Math.max(1, defaultFirst) : 1;
  if (first.value.kind === Kind.INT) return Math.max(1, Number(first.value.value));
  return MAX_FIRST[field.name.value] ?? 100;
}

/**
 * The cost of one operation of a document: its fields' own costs, each times the `first` of the fields around it.
 * `variables`, when known, tell whether a modelVersion variable asks for a version.
 */
export function operationCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragment: (name: string) => FragmentDefinitionNode | null | undefined, variables?: Record<string, unknown>): number {
  const cost = (set: SelectionSetNode, type: GraphQLNamedType | null | undefined, root: boolean, fragments: Set<string>): number => {
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const def = isObjectType(type) ? type.getFields()[s.name.value] : undefined;
        if (!def) continue; // unknown fields are another rule's to report
        const inner = s.selectionSet ? cost(s.selectionSet, getNamedType(def.type), false, fragments) : 0;
        total += ownCost(s, root, variables) + repeats(s, def.args.find((a) => a.name === 'first')?.defaultValue) * inner;
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        total += cost(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : type, root, fragments);
      } else if (!fragments.has(s.name.value)) {
        const f = fragment(s.name.value);
        if (f) total += cost(f.selectionSet, schema.getType(f.typeCondition.name.value), root, new Set([...fragments, s.name.value]));
      }
    }
    return total;
  };
  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  return cost(operation.selectionSet, rootType, true, new Set());
}

/** A rule that refuses operations whose fields cost more than `budget` together. */
export function fieldCostRule(budget: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const total = operationCost(context.getSchema(), node, (name) => context.getFragment(name));
      if (total > budget) {
        context.reportError(
          new GraphQLError(
            `the operation costs ${total} and the limit is ${budget}: each field costs 1 times the \`first\` of the fields around it (a variable counts as its maximum), a field with modelVersion ${VERSION_COST} (it may load that version), drift ${DRIFT_COST}; ask for fewer or split the operation`,
            { nodes: node },
          ),
        );
      }
    },
  });
}
