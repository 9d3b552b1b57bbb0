// Next.js settings of the dashboard. Pages render on the server per request (see src/lib/graphql-client.ts),
// so `next build` needs no running API.
import path from 'node:path';
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The npm workspace root holds node_modules and the lockfile.
  turbopack: { root: path.resolve(__dirname, '..', '..') },
  outputFileTracingRoot: path.resolve(__dirname, '..', '..'),
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
