// The training export cut down to the users and items a model version knows. An append gives new users and items
// the next free indexes, so a version trained before it knows exactly the first numUsers users and numItems items;
// their pairs (including the ones an append added between them) are the ones it can serve.
import { GraphError } from '../errors';
import type { EdgeList, FeatureMatrix, TrainingExport } from './training-export';

export function restrictExport(data: TrainingExport, numUsers: number, numItems: number): TrainingExport {
  if (numUsers > data.numUsers || numItems > data.numItems) {
    throw new GraphError(
      'CONFLICT',
      `dataset '${data.dataset}' has ${data.numUsers} users and ${data.numItems} items, fewer than the ${numUsers} and ${numItems} asked for: it is not the data they came from`,
    );
  }
  if (numUsers === data.numUsers && numItems === data.numItems) return data;
  const keep = (edges: EdgeList, extra?: Float64Array): { edges: EdgeList; extra?: Float64Array } => {
    const rows: number[] = [];
    for (let k = 0; k < edges.users.length; k++) if (edges.users[k] < numUsers && edges.items[k] < numItems) rows.push(k);
    return {
      edges: { users: Int32Array.from(rows, (k) => edges.users[k]), items: Int32Array.from(rows, (k) => edges.items[k]) },
      extra: extra ? Float64Array.from(rows, (k) => extra[k]) : undefined,
    };
  };
  const train = keep(data.train, data.trainTimestamps);
  const features: FeatureMatrix[] = data.features.map((m) => ({
    modality: m.modality,
    width: m.width,
    data: m.data.slice(0, numItems * m.width),
    ...(m.present ? { present: m.present.slice(0, numItems) } : {}),
  }));
  return {
    ...data,
    numUsers,
    numItems,
    train: train.edges,
    valid: keep(data.valid).edges,
    test: keep(data.test).edges,
    features,
    userIds: data.userIds.slice(0, numUsers),
    itemIds: data.itemIds.slice(0, numItems),
    trainTimestamps: train.extra,
  };
}
