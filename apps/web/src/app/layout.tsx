// The frame of every page: header with the page links, the page, and a footer naming the API the dashboard
// reads. Nothing here calls the API, so the links work even when it is down.
import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Suspense } from 'react';
import { SiteNav } from '@/components/site-nav';
import { apiUrl } from '@/lib/graphql-client';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'EIOR dashboard', template: '%s · EIOR' },
  description: 'Explainable multimedia recommendations: ratings split into invariant and variant branches, environment drift, model versions.',
};

/** Names the API read at run time (EIOR_API_URL), so the footer is rendered per request, not at build time. */
async function ApiFooter() {
  await connection();
  return (
    <footer className="site-footer">
      Data from the EIOR GraphQL API at <code>{apiUrl()}</code> · α<sub>I</sub> invariant branch (IRM, stable across environments) · α
      <sub>E</sub> variant branch (ERM, environment-specific)
    </footer>
  );
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <span className="brand">
            EIOR <span className="muted">explainable recommendations</span>
          </span>
          <Suspense fallback={<nav className="site-nav" />}>
            <SiteNav />
          </Suspense>
        </header>
        <main className="page">{children}</main>
        <Suspense fallback={null}>
          <ApiFooter />
        </Suspense>
      </body>
    </html>
  );
}
