'use client';
// The topbar's last corner: who is signed in, and a way out. A plain form post, as the login is:
// the server ends the user's sessions and answers with the login page, script or not.
import { useQuery } from '@tanstack/react-query';
import { accountOptions } from './queries';

export function AccountMenu() {
  const account = useQuery(accountOptions());
  // Nothing to say while it loads, on an error, or with sign-in off: the rest of the page says enough.
  if (!account.data || account.data.signIn === 'off') return null;
  const { user, signIn } = account.data;
  return (
    <section className="account" aria-label="Account">
      <span className="account-user" title={signIn === 'proxy' ? 'Signed in through your organisation’s proxy' : 'Signed in'}>
        {user}
      </span>
      {signIn === 'session' && (
        <form method="post" action="/api/auth/logout">
          <button type="submit">Sign out</button>
        </form>
      )}
    </section>
  );
}
