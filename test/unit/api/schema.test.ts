// schema.graphql is what the code emits, and every type, field, argument and enum value in it is described.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLNamedType } from 'graphql';
import { schemaText } from '../../../apps/api/src/schema/build-schema';

const COMMITTED = path.resolve(__dirname, '..', '..', '..', 'schema.graphql');

describe('schema.graphql', () => {
  it('is exactly what the type-graphql classes emit (run `npm run schema` after changing them)', async () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(await schemaText());
  });

  it('describes every type, field, argument and enum value', async () => {
    const schema = buildSchema(await schemaText());
    const missing: string[] = [];
    const own = (t: GraphQLNamedType) => !t.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name);
    for (const type of Object.values(schema.getTypeMap()).filter(own)) {
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});
