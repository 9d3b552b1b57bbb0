// A dataset's events per calendar day: the dashboard draws it, and it grows as `eior ingest --append` adds events.
import 'reflect-metadata';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'The events of one calendar day (UTC).' })
export class EventDay {
  @Field(() => String, { description: 'The day, YYYY-MM-DD (UTC).' })
  day!: string;

  @Field(() => Int, { description: "Events on that day: every event of a repeated (user, item) pair on its own day; feedback recorded through the API not included." })
  events!: number;
}

@ObjectType({ simpleResolvers: true, description: "A dataset's ingested and appended events per day, oldest day first." })
export class EventsPerDay {
  @Field(() => [EventDay], { description: 'One entry per day that has events, oldest first (empty when the data has no times).' })
  days!: EventDay[];

  @Field(() => Int, { description: 'Events without a time (no timestamp column, or 0): they have no day.' })
  undated!: number;
}
