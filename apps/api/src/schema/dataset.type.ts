// Datasets in the graph.
import 'reflect-metadata';
import { Field, Int, ObjectType } from 'type-graphql';
import { InteractionCounts } from './common.type';

@ObjectType({ simpleResolvers: true, description: 'A modality of a dataset and the width of its feature vectors.' })
export class ModalityInfo {
  @Field(() => String, { description: 'visual, acoustic, textual, ...' })
  name!: string;

  @Field(() => Int, { description: 'Length of its feature vectors.' })
  width!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A dataset ingested into the graph.' })
export class Dataset {
  @Field(() => String, { description: 'Its name (what every other query takes as `dataset`).' })
  name!: string;

  @Field(() => String, { description: '`complete` once ingested; anything else means an ingestion is unfinished.' })
  status!: string;

  @Field(() => Int, { description: 'Number of users.' })
  users!: number;

  @Field(() => Int, { description: 'Number of items.' })
  items!: number;

  @Field(() => InteractionCounts, { description: 'Interactions per split and from feedback.' })
  interactions!: InteractionCounts;

  @Field(() => [ModalityInfo], { description: 'The feature modalities of its items.' })
  modalities!: ModalityInfo[];

  @Field(() => String, { nullable: true, description: 'When ingestion finished (ISO 8601).' })
  ingestedAt!: string | null;

  @Field(() => Int, { description: 'Events ingested and appended (a repeated (user, item) pair counts each of its events; feedback not included).' })
  events!: number;

  @Field(() => Int, { description: 'Appends (`eior ingest --append`) since the first ingest.' })
  appends!: number;

  @Field(() => String, { nullable: true, description: 'When the last append finished (ISO 8601); null before any.' })
  appendedAt!: string | null;
}
