// graphql-armor's refusals worded for a query that parsed. Armor words them "Syntax Error: Query Cost limit of 50000
// exceeded, found 1287500."; here the cost refusal names the page-size arguments that multiply the cost, each with
// the range its field takes, and the depth, alias and directive refusals lose the "Syntax Error" prefix. All stay
// validation errors (GRAPHQL_VALIDATION_FAILED, HTTP 400).
import { GraphQLError, TypeInfo, visit, visitWithTypeInfo, type ValidationContext } from 'graphql';

/** A `first`/`last` argument given as a literal: armor multiplies the field's cost by it. */
export interface PageArgument {
  /** Type.field, e.g. Query.recommendations. */
  field: string;
  argument: string;
  value: number;
  /** The range the argument's description states ("1 to 100"), when it states one. */
  range: { min: number; max: number } | null;
}

/** Every first/last literal of the document, in order, with the range from the argument's description. */
export function pageArguments(context: ValidationContext): PageArgument[] {
  const found: PageArgument[] = [];
  const typeInfo = new TypeInfo(context.getSchema());
  visit(
    context.getDocument(),
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const def = typeInfo.getArgument();
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!def || !parent || !field || !['first', 'last'].includes(node.name.value) || node.value.kind !== 'IntValue') return;
        const stated = /(-?\d+) to (-?\d+)/.exec(def.description ?? '');
        found.push({
          field: `${parent.name}.${field.name}`,
          argument: node.name.value,
          value: Number(node.value.value),
          range: stated ? { min: Number(stated[1]), max: Number(stated[2]) } : null,
        });
      },
    }),
  );
  return found;
}

/** The message for a query whose cost `found` is over `maxCost`. */
export function costLimitMessage(maxCost: number, found: number | null, pages: PageArgument[]): string {
  const cost = `the query's cost${found === null ? '' : ` (${found})`} is over the limit of ${maxCost}`;
  const outOfRange = pages.filter((p) => p.range && (p.value < p.range.min || p.value > p.range.max));
  if (outOfRange.length > 0) {
    const named = outOfRange.map((p) => `${p.field}(${p.argument}: ${p.value}): \`${p.argument}\` is ${p.range?.min} to ${p.range?.max}`);
    return `${named.join('; ')} (${cost})`;
  }
  const multiplying = pages.filter((p) => p.value > 1).map((p) => `${p.field}(${p.argument}: ${p.value})`);
  const rule = 'each object costs 2 and each scalar 1, a nested field 1.5 times as much, and first/last multiply the cost of their field';
  return multiplying.length > 0
    ? `${cost}: ${rule}; the page sizes here are ${multiplying.join(', ')}: ask for smaller pages or fewer fields`
    : `${cost}: ${rule}; ask for fewer fields or fewer nested levels`;
}

/** Options for armor's maxDepth, maxAliases and maxDirectives: their refusal, reported without "Syntax Error: ". */
export function reworded(): { propagateOnRejection: false; onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[] } {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        if (!context) throw error; // armor always passes its context; without one, refuse as armor would
        context.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes }));
      },
    ],
  };
}

/** Armor's costLimit options: the limit, with rejections reported as validation errors worded as above. */
export function costLimitOptions(maxCost: number) {
  return {
    maxCost,
    ignoreIntrospection: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        if (!context) throw error; // armor always passes its context; without one, refuse as armor would
        const found = /found (\d+)/.exec(error.message);
        context.reportError(new GraphQLError(costLimitMessage(maxCost, found ? Number(found[1]) : null, pageArguments(context))));
      },
    ],
  };
}
