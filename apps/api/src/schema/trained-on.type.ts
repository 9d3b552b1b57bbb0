// The data a model version was trained on, against the data now in the graph: after `eior ingest --append` a
// version trained before keeps serving the users and items it knows, and says how many new events it has not seen.
import 'reflect-metadata';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { TrainedOn as GraphTrainedOn } from '@eior/graph';

export enum TrainedOnState {
  CURRENT = 'current',
  PREDATES_APPENDS = 'predates-appends',
  OTHER_DATA = 'other-data',
}

registerEnumType(TrainedOnState, {
  name: 'TrainedOnState',
  description: 'How the data a version was trained on relates to the data now in the graph.',
  valuesConfig: {
    CURRENT: { description: 'Trained on all the data now in the graph.' },
    PREDATES_APPENDS: { description: 'Trained before one or more appends: it serves the users and items it was trained on, and has not seen the newer events.' },
    OTHER_DATA: { description: 'Trained on data the dataset no longer holds (it was ingested again from other files): it cannot serve.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'The data a model version was trained on (its cut-off), compared with the data now in the graph.' })
export class TrainedOn {
  @Field(() => String, { description: "The dataset's fingerprint when the version was trained (sha256; each append chains it)." })
  fingerprint!: string;

  @Field(() => Int, { description: 'Events in the dataset when the version was trained (ingested and appended up to then).' })
  events!: number;

  @Field(() => Int, { description: 'Appends (`eior ingest --append`) made to the dataset by then.' })
  appends!: number;

  @Field(() => TrainedOnState, { description: 'Whether the version saw all the data now in the graph, predates some appends, or came from other data.' })
  state!: TrainedOnState;

  @Field(() => Int, { nullable: true, description: 'Events that joined the dataset after the version was trained: 0 when current, null for other data.' })
  newEvents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Appends made after the version was trained: 0 when current, null for other data.' })
  newAppends!: number | null;

  @Field(() => String, { description: 'One sentence for people, e.g. "predates 1,200 new events (1 append since it was trained on 49,504 events): ...".' })
  summary!: string;
}

export function toTrainedOn(t: GraphTrainedOn): TrainedOn {
  const state = { current: TrainedOnState.CURRENT, 'predates-appends': TrainedOnState.PREDATES_APPENDS, 'other-data': TrainedOnState.OTHER_DATA }[t.state];
  return { fingerprint: t.fingerprint, events: t.events, appends: t.appends, state, newEvents: t.newEvents, newAppends: t.newAppends, summary: t.summary };
}
