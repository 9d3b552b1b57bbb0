// Passing a GET through to another process of the same API (the BI exports live in one worker of a cluster).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { sendJson } from './request-body';

export function proxyGet(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  return new Promise((resolve) => {
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: { code: 'BAD_REQUEST', message: `${req.method} is not allowed on /export: use GET` } });
      return resolve();
    }
    const upstream = http.get(target, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
    });
    upstream.on('error', (err) => {
      sendJson(res, 502, { error: { code: 'BAD_GATEWAY', message: `the process holding the BI tables did not answer: ${err.message}` } });
      resolve();
    });
  });
}
