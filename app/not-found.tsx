// A path the app does not have (a mistyped or old link): says so, with the way back to the logs.
import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="login">
      <div className="login-form" data-testid="not-found">
        <h1>Logpond</h1>
        <p>There is no page at this address.</p>
        <p>
          <Link href="/">Search the logs</Link>
        </p>
      </div>
    </main>
  );
}
