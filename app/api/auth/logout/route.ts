// POST /api/auth/logout: ends the user's sessions (server/auth/ended-sessions.ts), so the cookie
// stops working even where a copy of it survives, forgets the cookie, and goes to the login page.
import type { NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { crossSite, signedInUser } from '@/server/auth/gate';
import { SESSION_COOKIE, sessionSignedAt } from '@/server/auth/session';
import { ForbiddenError } from '@/server/errors';
import { toErrorResponse } from '@/server/http/error-response';
import { startedRuntime } from '../../runtime';

export const dynamic = 'force-dynamic';

/** How long a sign-out waits for the store to take it before answering; it is sent later anyway. */
const SHARE_WAIT_MS = 2_000;

export async function POST(request: NextRequest): Promise<Response> {
  try {
    if (crossSite(request)) throw new ForbiddenError('log out from this site', 'cross_site');
    const config = authConfig();
    const now = Date.now();
    const cookie = request.cookies.get(SESSION_COOKIE)?.value;
    const user = signedInUser(config, cookie, now);
    if (user !== undefined) {
      // Not before the session itself: signed on another replica whose clock runs ahead, it must end too.
      config.endedSessions.end(user, Math.max(now, sessionSignedAt(cookie) ?? now));
      // Where other servers share the store, they learn of it from there (server/auth/session-sync.ts).
      await (await startedRuntime()?.catch(() => undefined))?.sessions?.syncWithin(SHARE_WAIT_MS);
    }
    return new Response(null, {
      status: 303,
      headers: { location: '/login', 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` },
    });
  } catch (err) {
    return toErrorResponse(err);
  }
}
