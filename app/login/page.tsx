// The sign-in page for built-in users (LOGPOND_AUTH_USERS). A plain form posting to
// /api/auth/login: no script needed, and the browser's password manager understands it.
import { authConfig } from '@/server/auth/auth-config';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeNext, visitor } from '@/server/auth/gate';
import { peerAddress } from '@/server/http/peer';
import { LOGIN_USER_COOKIE } from '@/server/auth/session';

export const dynamic = 'force-dynamic';

/** Why a sign-in was refused before its password was looked at (api/auth/login), by code. */
const REFUSALS: Record<string, string> = {
  busy: 'Too many sign-ins at once: try again in a moment.',
  invalid_body: 'The form came incomplete: try again.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(typeof params.next === 'string' ? params.next : '/');
  // Nothing to sign in to, or signed in already (a bookmarked login page, Back after signing in):
  // on to the page, as Kibana and Grafana do.
  const config = authConfig();
  const [h, c] = await Promise.all([headers(), cookies()]);
  if (config.open || visitor(config, { header: (n) => h.get(n), cookie: (n) => c.get(n)?.value, peer: () => peerAddress(h) }, Date.now()) !== undefined) {
    redirect(next);
  }
  const failed = params.error !== undefined;
  const why = typeof params.error === 'string' && Object.hasOwn(REFUSALS, params.error) ? REFUSALS[params.error] : 'Unknown user or wrong password.';
  // The name of a failed attempt, typed again for the user (see LOGIN_USER_COOKIE).
  const user = failed ? (c.get(LOGIN_USER_COOKIE)?.value ?? '') : '';
  if (config.users.size === 0) {
    // Proxy sign-in only (LOGPOND_AUTH_PROXY_HEADER): this form could never succeed.
    return (
      <main className="login">
        <div className="login-form">
          <h1>Logpond</h1>
          <p>Sign in through your organisation&apos;s proxy: open Logpond at the address it serves.</p>
        </div>
      </main>
    );
  }
  return (
    <main className="login">
      <form method="post" action="/api/auth/login" className="login-form">
        <h1>Logpond</h1>
        {failed && (
          <p role="alert" className="login-error">
            {why}
          </p>
        )}
        <label>
          User
          <input name="user" autoComplete="username" required defaultValue={user} autoFocus={!user} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required autoFocus={!!user} />
        </label>
        <input type="hidden" name="next" value={next} />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
