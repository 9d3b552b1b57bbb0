// The GraphQL schema, built from the type-graphql classes. schema.graphql at the repository root is this schema
// printed (npm run schema); a test fails when the two differ.
import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DatasetResolver } from './dataset.resolver';
import { DriftResolver } from './drift.resolver';
import { EnvironmentResolver } from './environment.resolver';
import { ExplanationResolver } from './explanation.resolver';
import { InteractionResolver } from './interaction.resolver';
import { ItemResolver, SimilarItemResolver } from './item.resolver';
import { ModelVersionResolver } from './model-version.resolver';
import { TuningResolver } from './tuning.resolver';
import { RatingResolver } from './recommendation.resolver';
import { UserResolver } from './user.resolver';

export async function buildApiSchema(): Promise<GraphQLSchema> {
  return describeRoots(await buildSchema({
    resolvers: [
      DatasetResolver,
      RatingResolver,
      ExplanationResolver,
      ItemResolver,
      SimilarItemResolver,
      UserResolver,
      EnvironmentResolver,
      DriftResolver,
      InteractionResolver,
      ModelVersionResolver,
      TuningResolver,
    ],
    validate: false,
  }));
}

/** type-graphql leaves Query and Mutation undescribed; schema.graphql is documentation, so they get one. */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const query = new GraphQLObjectType({ ...schema.getQueryType()!.toConfig(), description: 'Reads: recommendations with explanations, ratings, users, items, datasets, models, tunings, environments and drift.' });
  const old = schema.getMutationType();
  const mutation = old ? new GraphQLObjectType({ ...old.toConfig(), description: 'Writes (need an API key): feedback, and which model version serves.' }) : undefined;
  return new GraphQLSchema({ ...config, query, mutation, types: config.types.filter((t) => t !== schema.getQueryType() && t !== old) });
}

/** The schema as SDL, the text committed as schema.graphql. */
export async function schemaText(): Promise<string> {
  return `${printSchema(await buildApiSchema())}\n`;
}
