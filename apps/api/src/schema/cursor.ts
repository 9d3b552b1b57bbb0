// Opaque ids and cursors: base64url of a small JSON array, so clients cannot mistake them for numbers, and a
// cursor names the model version whose ranking it points into.
import { badInput } from '../errors';

const MAX_CURSOR_LENGTH = 200;

export function encodeCursor(version: string, offset: number): string {
  return Buffer.from(JSON.stringify(['c', version, offset])).toString('base64url');
}

/** The offset a cursor points after; BAD_USER_INPUT when it is not one of ours or belongs to another model version. */
export function decodeCursor(cursor: string, version: string): number {
  let parsed: unknown;
  try {
    // our cursors are under 60 characters: a longer one is not ours, and is not decoded
    parsed = cursor.length <= MAX_CURSOR_LENGTH ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== 'c' || typeof parsed[1] !== 'string' || !Number.isInteger(parsed[2]) || parsed[2] < 0) {
    throw badInput(`after = ${JSON.stringify(cursor.slice(0, 80))} is not a cursor: pass the endCursor or an edge cursor of a previous page`);
  }
  if (parsed[1] !== version) {
    throw badInput(`after: the cursor points into model version ${parsed[1]}'s ranking, and version ${version} is current now: start again without \`after\``);
  }
  return parsed[2] as number;
}

export function ratingId(dataset: string, version: string, userId: string, itemId: string): string {
  return Buffer.from(JSON.stringify(['r', dataset, version, userId, itemId])).toString('base64url');
}
