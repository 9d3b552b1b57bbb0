// Dataset switcher for the pages that show one dataset: a link per dataset (a GET parameter, so shareable).
import Link from 'next/link';
import { href } from '@/lib/search-params';

interface DatasetTabsProps {
  path: string;
  datasets: { name: string; currentModel: unknown }[];
  active: string;
}

export function DatasetTabs({ path, datasets, active }: DatasetTabsProps) {
  return (
    <nav className="tabs" aria-label="Datasets" data-testid="dataset-tabs">
      {datasets.map((d) => (
        <Link key={d.name} href={href(path, { dataset: d.name })} className={d.name === active ? 'active' : undefined} aria-current={d.name === active ? 'true' : undefined}>
          {d.name}
          {d.currentModel ? '' : ' (no model)'}
        </Link>
      ))}
    </nav>
  );
}
