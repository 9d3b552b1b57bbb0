// Graph records (from the DataLoaders) as GraphQL objects.
import type { ItemRecord, UserRecord } from '@eior/graph';
import type { ServingModel } from '../serving/serving-model';
import type { Item } from './item.type';
import type { User } from './user.type';

export function toItem(r: ItemRecord): Item {
  return { id: r.id, dataset: r.dataset, index: r.idx, interactions: { ...r.interactions, feedback: r.feedback }, features: r.features };
}

export function toUser(r: UserRecord, model: ServingModel | null): User {
  return { id: r.id, dataset: r.dataset, index: r.idx, interactions: { ...r.interactions, feedback: r.feedback }, environment: model ? model.environmentOf(r.idx) : null };
}
