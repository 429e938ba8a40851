'use client';
// The topbar's last corner: who is signed in, and a way out. A plain form post, as the login is:
// the server ends the user's sessions and answers with the login page, script or not.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { accountOptions, statusOptions } from './queries';

export function AccountMenu() {
  const account = useQuery(accountOptions());
  // A sign-in as someone else in another tab changes the session under this page: the status it
  // polls anyway names who asked, and a new name asks for the account again.
  const askedBy = useQuery({ ...statusOptions(), select: (status) => status.user }).data;
  const queryClient = useQueryClient();
  const shown = account.data?.user;
  useEffect(() => {
    if (askedBy !== undefined && shown !== undefined && askedBy !== shown) void queryClient.invalidateQueries({ queryKey: accountOptions().queryKey });
  }, [askedBy, shown, queryClient]);
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
