// The last check on an error message before it leaves the process: a message that holds one of the server's own
// paths (state folder, models, the install), a Node or driver error text (ENOENT: …, Neo.ClientError…) or a
// stack frame is not sent; the client gets the code and the request id, the log keeps the message.
import os from 'node:os';
import path from 'node:path';

/** Node's system error texts ("ENOENT: no such file or directory, open …") and their codes in parentheses. */
const NODE_ERROR = /\bE[A-Z]{3,}(?::\s|\)|,\s*(?:open|stat|scandir|read|lstat|mkdir|rename|connect)\b)/;
/** Neo4j's status codes and driver error names. */
const DRIVER_ERROR = /\bNeo\.(?:Client|Transient|Database)Error\b|\bNeo4jError\b/;
/** A frame of a JavaScript stack ("    at fn (/x/y.js:12:5)"). */
const STACK_FRAME = /\n\s+at \S|\bat (?:async )?[\w$.<>]+ \([^()\s]*:\d+:\d+\)/;

export type LeakGuard = (message: string) => boolean;

/** A check for messages that would leak: `dirs` are the server's own folders (given ones and the usual ones). */
export function createLeakGuard(dirs: readonly string[]): LeakGuard {
  const own = [...new Set([...dirs, process.cwd(), os.homedir(), path.resolve(__dirname, '..', '..', '..'), os.tmpdir()].map((d) => path.resolve(d)))]
    .filter((d) => d.length > 1) // "/" is in every path a client may send
    .sort((a, b) => b.length - a.length);
  return (message) => own.some((d) => message.includes(d)) || message.includes('node_modules') || NODE_ERROR.test(message) || DRIVER_ERROR.test(message) || STACK_FRAME.test(message);
}
