// The addresses an `eior serve --json` child prints on its first JSON line, for the benchmarks that start one.
import type { ChildProcess } from 'node:child_process';

export interface ServedUrls {
  graphql: string;
  sql: string | null;
}

/** Resolves with the served addresses, or rejects when the server exits before printing them. */
export function servedUrls(server: ChildProcess): Promise<ServedUrls> {
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as ServedUrls);
    });
    server.on('exit', (code) => reject(new Error(`eior serve exited with ${code} before serving`)));
  });
}
