// Sends FuzzRequests and judges the answers: the status, the error codes, whether a body gives away internal
// detail (the server's own paths, Node or driver error texts, stack frames), whether it timed out. The leak check
// here is independent of the server's own (apps/api/src/leak-guard.ts): it knows the folders the test or bench
// gave the server, and looks for error texts by their shape.
import http from 'node:http';
import type { FuzzRequest } from './fuzz-requests';

export interface FuzzOutcome {
  request: FuzzRequest;
  status: number;
  /** extensions.code of each error (or error.code of a non-GraphQL route); empty for a clean answer. */
  codes: string[];
  /** Why the body counts as leaking internal detail; null when it does not. */
  leak: string | null;
  json: boolean;
  timedOut: boolean;
  ms: number;
  body: string;
  /** The answer's `server-timing` header as name -> ms (parse, validate, execute, total, ...); empty without one. */
  serverTiming: Record<string, number>;
}

/** Texts of Node's system errors, the Neo4j driver and stacks: never in an answer, whatever was asked. */
const LEAK_PATTERNS: [string, RegExp][] = [
  ['node system error', /\b(ENOENT|ENOTDIR|EISDIR|EACCES|EPERM|EMFILE|ECONNREFUSED|ECONNRESET|EINVAL|ENAMETOOLONG|ELOOP)\b/],
  ['node error text', /no such file or directory|not a directory|permission denied|illegal operation on a directory/i],
  ['stack frame', /\n\s+at \S|\bat (?:async )?[\w$.<>]+ \([^()\s]*:\d+:\d+\)/],
  ['driver error', /Neo4jError|Neo\.(?:Client|Transient|Database)Error|ServiceUnavailable|SessionExpired/],
  ['source file', /node_modules|\.(?:ts|js):\d+/],
  ['javascript error', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError): /],
];

/** A leak check knowing the server's own folders (state dir, models, the checkout). */
export function leakFinder(ownDirs: readonly string[]): (body: string) => string | null {
  const dirs = ownDirs.filter((d) => d.length > 1);
  return (body) => {
    for (const d of dirs) if (body.includes(d) || body.includes(JSON.stringify(d).slice(1, -1))) return `server path ${d}`;
    for (const [name, re] of LEAK_PATTERNS) if (re.test(body)) return name;
    return null;
  };
}

interface Answer {
  status: number;
  body: string;
  serverTiming?: string;
  timedOut: boolean;
  /** A keep-alive socket the server closed as it was reused (Node's documented race): worth one retry. */
  staleSocket: boolean;
}

function sendOnce(base: URL, agent: http.Agent | false, request: FuzzRequest, timeoutMs: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    const req = http.request(new URL(request.path, base), { method: request.method, agent, headers: request.headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), serverTiming: [res.headers['server-timing'] ?? []].flat().join(', '), timedOut: false, staleSocket: false }));
      res.on('error', () => resolve({ status: 0, body: '', timedOut: false, staleSocket: false }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ status: 0, body: '', timedOut: true, staleSocket: false });
    });
    // a server that closes on purpose (413 with connection: close) may reset a body still being sent: status 0
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: '', timedOut: false, staleSocket: req.reusedSocket && err.code === 'ECONNRESET' }));
    if (request.body !== null) req.end(request.body);
    else req.end();
  });
}

export async function sendFuzz(base: URL, agent: http.Agent, request: FuzzRequest, timeoutMs: number, leakOf: (body: string) => string | null): Promise<FuzzOutcome> {
  const started = performance.now();
  let answer = await sendOnce(base, agent, request, timeoutMs);
  if (answer.staleSocket) answer = await sendOnce(base, false, request, timeoutMs);
  const ms = performance.now() - started;
  let codes: string[] = [];
  let json = false;
  try {
    const parsed = JSON.parse(answer.body) as { errors?: { extensions?: { code?: string } }[]; error?: { code?: string } };
    json = true;
    codes = (parsed.errors ?? []).map((e) => e.extensions?.code ?? '(none)');
    if (parsed.error?.code) codes.push(parsed.error.code);
  } catch {
    json = false;
  }
  return { request, status: answer.status, codes, leak: leakOf(answer.body), json, timedOut: answer.timedOut, ms, body: answer.body, serverTiming: parseServerTiming(answer.serverTiming) };
}

/** `name;dur=1.5, other;dur=2` as { name: 1.5, other: 2 } (entries without a duration are left out). */
export function parseServerTiming(header: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([\d.]+)\s*$/.exec(p)?.[1]).find((d) => d !== undefined);
    if (name && dur !== undefined) out[name] = (out[name] ?? 0) + Number(dur);
  }
  return out;
}

/**
 * Why an outcome breaks the rules, or null: a 5xx other than MODEL_NOT_READY (for the dataset without a model)
 * and TIMEOUT, an INTERNAL_SERVER_ERROR code, a leak, a non-JSON GraphQL answer, or no answer at all.
 */
export function violation(o: FuzzOutcome, withoutModel: string | undefined): string | null {
  if (o.timedOut) return 'timed out';
  if (o.status === 0) return o.request.label === 'malformed: big body' ? null : 'no answer';
  if (o.leak) return `leak (${o.leak})`;
  if (o.codes.includes('INTERNAL_SERVER_ERROR')) return 'INTERNAL_SERVER_ERROR';
  if (o.status >= 500) {
    const notReady = o.codes.length > 0 && o.codes.every((c) => c === 'MODEL_NOT_READY');
    if (!(notReady && withoutModel !== undefined && o.request.body?.includes(withoutModel))) return `HTTP ${o.status} ${o.codes.join(',')}`;
  }
  if (!o.json && o.request.path.startsWith('/graphql')) return 'not JSON';
  return null;
}
