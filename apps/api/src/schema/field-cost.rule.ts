// The cost of the root fields whose price graphql-armor's shape-based cost cannot see: asking for another model
// version may load it (seconds of CPU), and a drift report is a large object. Each operation's root fields
// (through fragments) are charged; an operation over the budget fails validation with 400, before any work.
import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type SelectionSetNode, type ValidationContext } from 'graphql';

/** A comparison with another model version: may load it (about 3 s of CPU on TikTok). */
export const VERSION_COST = 5_000;
/** A drift report read from memory: built in the background, but hundreds of values. */
export const DRIFT_COST = 500;
/** Root fields cost 1 unless named here. */
const ROOT_COSTS: Record<string, (field: FieldNode) => number> = {
  drift: () => DRIFT_COST,
  recommendations: (f) => (asksForVersion(f) ? VERSION_COST : 1),
  rating: (f) => (asksForVersion(f) ? VERSION_COST : 1),
};

/** True when the field passes modelVersion as anything but a literal null. */
function asksForVersion(field: FieldNode): boolean {
  return (field.arguments ?? []).some((a) => a.name.value === 'modelVersion' && a.value.kind !== Kind.NULL);
}

/** A rule that refuses operations whose root fields cost more than `budget` together. */
export function fieldCostRule(budget: number) {
  return (context: ValidationContext): ASTVisitor => {
    const cost = (set: SelectionSetNode, seen: Set<string>): number => {
      let total = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) total += (ROOT_COSTS[s.name.value] ?? (() => 1))(s);
        else if (s.kind === Kind.INLINE_FRAGMENT) total += cost(s.selectionSet, seen);
        else if (!seen.has(s.name.value)) {
          const fragment = context.getFragment(s.name.value);
          if (fragment) total += cost(fragment.selectionSet, new Set([...seen, s.name.value]));
        }
      }
      return total;
    };
    return {
      OperationDefinition(node) {
        const total = cost(node.selectionSet, new Set());
        if (total > budget) {
          context.reportError(
            new GraphQLError(`the operation costs ${total} and the limit is ${budget}: a field with modelVersion costs ${VERSION_COST} (it may load that version), drift ${DRIFT_COST}; split the operation`, { nodes: node }),
          );
        }
      },
    };
  };
}
