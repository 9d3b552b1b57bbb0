// A tuning (`eior tune`) and its trials as GraphQL types: what the dashboard's Models page tables and plots.
import 'reflect-metadata';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'One evaluation of a trial: validation NDCG@20 after an epoch.' })
export class TrialPoint {
  @Field(() => Int, { description: 'Epoch number, from 1.' })
  epoch!: number;

  @Field(() => Float, { description: 'Validation NDCG@20 after that epoch.' })
  ndcg20!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One trained config of a tuning (a Hyperband trial).' })
export class Trial {
  @Field(() => String, { description: 'Stable id within the tuning: s<bracket>-c<config>-e<epochs>.' })
  id!: string;

  @Field(() => Int, { description: 'Order in which the trial ran, from 0.' })
  seq!: number;

  @Field(() => Int, { description: 'Hyperband bracket s (higher judges configs after fewer epochs).' })
  bracket!: number;

  @Field(() => Int, { description: 'Rung of successive halving within the bracket, from 0; a trial at rung i was among the best of rung i − 1.' })
  rung!: number;

  @Field(() => Int, { description: 'Epochs the trial was given.' })
  epochs!: number;

  @Field(() => GraphQLJSONObject, { description: 'The sampled settings (the rest of the config is the tuning\'s base preset).' })
  settings!: Record<string, unknown>;

  @Field(() => String, { description: 'finished, or failed (the training threw; never promoted).' })
  status!: string;

  @Field(() => Float, { nullable: true, description: 'Best validation NDCG@20 over its evaluations; null when it failed.' })
  score!: number | null;

  @Field(() => Int, { description: 'The epoch of that best score.' })
  bestEpoch!: number;

  @Field(() => [TrialPoint], { description: 'Validation NDCG@20 at each evaluated epoch.' })
  curve!: TrialPoint[];

  @Field(() => Float, { description: 'Seconds the trial trained.' })
  seconds!: number;

  @Field(() => String, { nullable: true, description: 'Why it failed, when it did.' })
  error!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A search for better settings on validation (`eior tune`), with its trials.' })
export class Tuning {
  @Field(() => String, { description: 'Its id: the same kind, data, seed, space and schedule give the same id, and a rerun resumes it.' })
  id!: string;

  @Field(() => String, { description: 'The kind tuned (the EIOR kinds tune their UltraGCN backbone).' })
  model!: string;

  @Field(() => String, { description: 'running (or killed), complete (every bracket ran), budget (the budget ran out) or trials (the trial cap was reached).' })
  status!: string;

  @Field(() => String, { description: 'When it first started (ISO 8601).' })
  startedAt!: string;

  @Field(() => String, { description: 'When a trial or the tuning last changed (ISO 8601).' })
  updatedAt!: string;

  @Field(() => Float, { description: 'Budget spent, over every run of it: seconds from its first trial to its last, trials cut by the budget included.' })
  spentSeconds!: number;

  @Field(() => GraphQLJSONObject, { description: 'The search space: each tuned setting with its range.' })
  space!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { description: 'The Hyperband schedule (maxEpochs R, minEpochs, eta η) and the base preset.' })
  schedule!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'Id of the best finished trial.' })
  bestTrial!: string | null;

  @Field(() => Float, { nullable: true, description: 'Its validation NDCG@20.' })
  bestScore!: number | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Its settings: what `eior train` starts from on this data.' })
  bestSettings!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'The model version trained with the best settings, when one was.' })
  version!: string | null;

  @Field(() => [Trial], { description: 'Its trials in the order they ran.' })
  trials!: Trial[];
}
