'use client';
// What shows when the page itself fails while drawing (not a failed search, which each panel
// explains in place): what happened, a try again, and a way back to a plain view.
import { useEffect } from 'react';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="login">
      <div className="login-form" role="alert" data-testid="page-error">
        <h1>Logpond</h1>
        <p>The page failed: {error.message || 'an error in the browser'}.</p>
        <p>
          <button type="button" onClick={reset}>
            Try again
          </button>{' '}
          <a href="/">Open a plain search</a>
        </p>
      </div>
    </main>
  );
}
