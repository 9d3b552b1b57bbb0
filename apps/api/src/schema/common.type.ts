// Small object types shared by several others: a named metric, interaction counts per split, paging info.
import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'A named figure, e.g. recall@20 = 0.0726.' })
export class Metric {
  @Field(() => String, { description: 'The metric\'s name: recall@K, ndcg@K, precision@K, hit@K, loss, ...' })
  name!: string;

  @Field(() => Float, { description: 'Its value.' })
  value!: number;
}

@ObjectType({ simpleResolvers: true, description: 'How many interactions something has, per split of the data and from feedback recorded through the API.' })
export class InteractionCounts {
  @Field(() => Int, { description: 'Interactions in the training split.' })
  train!: number;

  @Field(() => Int, { description: 'Interactions in the validation split.' })
  valid!: number;

  @Field(() => Int, { description: 'Interactions in the test split.' })
  test!: number;

  @Field(() => Int, { description: 'Interactions recorded with recordInteractions since ingestion.' })
  feedback!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Relay-style paging information of a connection.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when another page follows: pass endCursor as `after` to get it.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page (null for an empty page).' })
  endCursor!: string | null;
}

/** Record<string, number> as a list of metrics, sorted by name. */
export function metricList(table: Record<string, number> | undefined): Metric[] {
  return Object.entries(table ?? {})
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}
