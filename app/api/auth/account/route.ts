// GET /api/auth/account: who the page is shown to and how they signed in, so it can name them and
// offer to sign out where Logpond signed them in. Behind the gate like every read: 401 without a sign-in.
import type { NextRequest } from 'next/server';
import type { AccountResponse } from '@/common/account';
import { authConfig } from '@/server/auth/auth-config';
import { gateRequestOf, requestUser, signedInUser } from '@/server/auth/gate';
import { SESSION_COOKIE } from '@/server/auth/session';
import { UnauthorizedError } from '@/server/errors';
import { toErrorResponse } from '@/server/http/error-response';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest): Response {
  try {
    const config = authConfig();
    const now = Date.now();
    const user = requestUser(config, gateRequestOf(request), now);
    if (user === undefined) throw new UnauthorizedError('sign in first (POST /api/auth/login), or come through the authenticating proxy');
    const account: AccountResponse = config.open
      ? { user: null, signIn: 'off' }
      : { user, signIn: signedInUser(config, request.cookies.get(SESSION_COOKIE)?.value, now) === user ? 'session' : 'proxy' };
    return Response.json(account);
  } catch (err) {
    return toErrorResponse(err);
  }
}
