// Every identifier a request carries, checked by one function each before it reaches a file, a cache or the
// graph: a dataset name by the ingest naming rule, a model version by the artifact store's `vNNNN`, user and item
// ids (tokens of the dataset's files) by length and printable characters. Anything else is BAD_USER_INPUT
// naming the rule, so what exists on disk never changes the answer to a bad name.
import { DATASET_NAME } from '@eior/graph';
import { badInput } from './errors';

export const VERSION_NAME = /^v\d{4}$/;
/** Longest user or item id accepted: tokens of a dataset's files are far shorter. */
export const MAX_ID_LENGTH = 256;
/** Control characters (C0, DEL, C1): a token of a tab-separated file never holds one, so such an id cannot exist. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Shown (shortened) in messages: the value exactly as sent, so a caller can find it in what they sent. */
function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** A dataset name as `eior ingest` accepts it: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit. */
export function checkDatasetName(value: string, name = 'dataset'): string {
  if (!DATASET_NAME.test(value) || value === '.' || value === '..') {
    throw badInput(`${name} = ${shown(value)} is not a dataset name: expected 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit (the rule of \`eior ingest --dataset\`)`);
  }
  return value;
}

/** A model version name: `v` and four digits, as `eior train` names versions (v0001). */
export function checkVersionName(value: string, name = 'modelVersion'): string {
  if (!VERSION_NAME.test(value)) throw badInput(`${name} = ${shown(value)} is not a model version: expected v and four digits, e.g. v0001 (see \`models(dataset)\`)`);
  return value;
}

/** A user or item id: 1 to 256 characters, none of them a control character. */
function checkToken(kind: string, value: string, name: string): string {
  if (value.length === 0 || value.length > MAX_ID_LENGTH || CONTROL.test(value)) {
    const why = value.length === 0 ? 'it is empty' : value.length > MAX_ID_LENGTH ? `it is ${value.length} characters long` : 'it holds a control character';
    throw badInput(`${name} = ${shown(value)} is not ${kind} id (${why}): expected 1 to ${MAX_ID_LENGTH} characters without control characters, as in the dataset's files`);
  }
  return value;
}

export const checkUserId = (value: string, name = 'userId'): string => checkToken('a user', value, name);
export const checkItemId = (value: string, name = 'itemId'): string => checkToken('an item', value, name);
