'use client';
// Shown when a page fails in a way it did not handle itself (the API's own errors are explained by the pages):
// what happened, and a button that renders the page again.
import { useEffect } from 'react';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="notice notice-error" role="alert" data-testid="page-error">
      <strong className="notice-title">This page could not be shown</strong>
      <p>
        Something failed while rendering it{error.digest ? ` (digest ${error.digest}, also in the dashboard's server log)` : ''}. If the API was
        just restarted, trying again usually works.
      </p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </div>
  );
}
