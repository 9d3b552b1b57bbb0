// Shown for a path that is not one of the dashboard's pages.
import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="notice notice-warning" role="status">
      <strong className="notice-title">No such page</strong>
      <p>
        The dashboard has an <Link href="/">overview</Link>, <Link href="/recommendations">recommendations</Link>,{' '}
        <Link href="/drift">environment drift</Link> and <Link href="/models">models</Link>.
      </p>
    </div>
  );
}
