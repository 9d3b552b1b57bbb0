'use client';
// The header's page links, the current page marked (a client component: it reads the path in the browser).
// The dataset parameter travels along, so switching page keeps the dataset.
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/recommendations', label: 'Recommendations' },
  { path: '/drift', label: 'Environment drift' },
  { path: '/models', label: 'Models' },
] as const;

export function SiteNav() {
  const pathname = usePathname();
  const dataset = useSearchParams().get('dataset');
  const suffix = dataset ? `?dataset=${encodeURIComponent(dataset)}` : '';
  return (
    <nav className="site-nav" aria-label="Pages">
      {PAGES.map((p) => {
        const active = p.path === '/' ? pathname === '/' : pathname.startsWith(p.path);
        return (
          <Link key={p.path} href={`${p.path}${suffix}`} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
            {p.label}
          </Link>
        );
      })}
    </nav>
  );
}
