import type { NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { gateRequestOf, requestUser } from '@/server/auth/gate';
import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

export async function GET(request: NextRequest): Promise<Response> {
  try {
    const runtime = await getRuntime();
    const config = authConfig();
    // Past the gate, so someone (or sign-in is off): the page's account check (account-menu.tsx).
    const user = config.open ? null : (requestUser(config, gateRequestOf(request), Date.now()) ?? null);
    return Response.json({ ...(await runtime.status()), user });
  } catch (err) {
    return toErrorResponse(err);
  }
}
