// The `Server-Timing` header of every GraphQL answer: how long the request spent in each of Apollo's phases (parse,
// validate, execute) and in the handler as a whole, so a client (or bench/api-fuzz.ts) can tell time spent in the
// server from time spent waiting for it (a busy event loop, the kernel's queue, its own lag).
import type { ApolloServerPlugin } from '@apollo/server';

/** The header's value: `name;dur=ms` per phase, in the order given, each rounded to 0.1 ms. */
export function serverTiming(phases: readonly (readonly [string, number])[]): string {
  return phases.map(([name, ms]) => `${name};dur=${Math.round(ms * 10) / 10}`).join(', ');
}

/** Times Apollo's phases of one request and hands them to the handler in the response's `server-timing` header. */
export const serverTimingPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const phases: [string, number][] = [];
    const timed = (name: string) => {
      const start = performance.now();
      return async () => void phases.push([name, performance.now() - start]);
    };
    return {
      async parsingDidStart() {
        return timed('parse');
      },
      async validationDidStart() {
        return timed('validate');
      },
      async executionDidStart() {
        const start = performance.now();
        return {
          async executionDidEnd() {
            phases.push(['execute', performance.now() - start]);
          },
        };
      },
      async willSendResponse({ response }) {
        if (phases.length > 0) response.http.headers.set('server-timing', serverTiming(phases));
      },
    };
  },
};
