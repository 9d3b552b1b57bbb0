// The dashboard's one reader of the environment: where the EIOR GraphQL API is, read at run time (not at
// build time), validated once and handed to the GraphQL client as a typed object.

/** Where `npx eior serve` listens unless told otherwise. */
export const DEFAULT_API_URL = 'http://127.0.0.1:4000/graphql';

/** How long a page waits for the API; a cold drift report on a large dataset takes several seconds. */
export const DEFAULT_API_TIMEOUT_MS = 60_000;

export interface WebConfig {
  /** The API's GraphQL endpoint (EIOR_API_URL). */
  apiUrl: string;
  /** Milliseconds before a request to the API is abandoned (EIOR_API_TIMEOUT_MS). */
  apiTimeoutMs: number;
}

let cached: WebConfig | undefined;

/** The config from `env`; throws an error naming the bad value and what was expected. */
export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const apiUrl = env.EIOR_API_URL?.trim() || DEFAULT_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new Error(`EIOR_API_URL=${JSON.stringify(apiUrl)} is not a URL: expected e.g. ${DEFAULT_API_URL}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`EIOR_API_URL=${JSON.stringify(apiUrl)} has protocol ${parsed.protocol}: expected http: or https:`);
  }
  const rawTimeout = env.EIOR_API_TIMEOUT_MS?.trim();
  const apiTimeoutMs = rawTimeout ? Number(rawTimeout) : DEFAULT_API_TIMEOUT_MS;
  if (!Number.isInteger(apiTimeoutMs) || apiTimeoutMs < 100 || apiTimeoutMs > 600_000) {
    throw new Error(`EIOR_API_TIMEOUT_MS=${JSON.stringify(rawTimeout)} is out of range: expected an integer from 100 to 600000`);
  }
  return { apiUrl: parsed.toString(), apiTimeoutMs };
}

/** The process's config, read from process.env on first use (server side only). */
export function webConfig(): WebConfig {
  cached ??= parseWebConfig(process.env);
  return cached;
}
