// Reading a request body with a size limit, and small JSON response helpers for the non-GraphQL routes.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/** The whole body as bytes; BodyTooLargeError as soon as it is known to be over `limit` (declared or read). */
export async function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}

/** 413 for a body over the limit; the rest of it is never read, so the connection closes (it cannot be parsed as a next request). */
export function sendBodyTooLarge(res: ServerResponse, err: BodyTooLargeError): void {
  sendGraphqlError(res, 413, 'PAYLOAD_TOO_LARGE', `${err.message}: send at most ${err.limit} bytes`, { connection: 'close' });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A GraphQL-shaped error response, for failures before GraphQL execution (body too large, bad JSON, auth, timeout). */
export function sendGraphqlError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}
