import 'server-only';
import type { NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { crossSite, gateRequestOf, requestUser } from '@/server/auth/gate';
import { ForbiddenError, UnauthorizedError } from '@/server/errors';
import { toErrorResponse } from '@/server/http/error-response';
import type { Runtime } from '@/server/runtime';
import { getRuntime } from './runtime';

type UserHandler<P> = (runtime: Runtime, user: string, request: NextRequest, params: P) => Promise<Response>;

/**
 * A handler for data kept per user. The user is judged again here, as the proxy judged the
 * request (server/auth/gate.ts), rather than passed on in a header a client could also send.
 * Writes posted from another site are refused: without sign-in nothing else would stop them.
 */
export function userRoute<P = Record<string, never>>(handle: UserHandler<P>) {
  return async function handler(request: NextRequest, context: { params: Promise<P> }): Promise<Response> {
    try {
      if (request.method !== 'GET' && crossSite(request)) throw new ForbiddenError('change saved searches from this site\'s own page', 'cross_site');
      const user = requestUser(authConfig(), gateRequestOf(request), Date.now());
      if (user === undefined) throw new UnauthorizedError('sign in first (POST /api/auth/login), or come through the authenticating proxy');
      return await handle(await getRuntime(), user, request, await context.params);
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}
