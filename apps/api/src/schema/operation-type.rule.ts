// A validation rule graphql-js 16 lacks: an operation whose type the schema does not have (this schema has no
// subscriptions) fails validation with 400 GRAPHQL_VALIDATION_FAILED, instead of failing in execution as a 500.
import { GraphQLError, type ValidationContext, type ASTVisitor } from 'graphql';

export function knownOperationTypeRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  return {
    OperationDefinition(node) {
      if (roots[node.operation]) return;
      const offered = Object.entries(roots).filter(([, t]) => t).map(([name]) => name).map((name) => `a ${name}`).join(' or ');
      context.reportError(new GraphQLError(`this API has no ${node.operation} operations: send ${offered}`, { nodes: node }));
    },
  };
}
