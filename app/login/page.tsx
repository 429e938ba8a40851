// The sign-in page for built-in users (LOGPOND_AUTH_USERS). A plain form posting to
// /api/auth/login: no script needed, and the browser's password manager understands it.
import { safeNext } from '@/server/auth/gate';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(typeof params.next === 'string' ? params.next : '/');
  const failed = params.error !== undefined;
  return (
    <main className="login">
      <form method="post" action="/api/auth/login" className="login-form">
        <h1>Logpond</h1>
        {failed && (
          <p role="alert" className="login-error">
            Unknown user or wrong password.
          </p>
        )}
        <label>
          User
          <input name="user" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <input type="hidden" name="next" value={next} />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
