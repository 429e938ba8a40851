// POST /api/auth/logout: forgets the session cookie and goes back to the login page.
import { SESSION_COOKIE } from '@/server/auth/session';
import { crossSite } from '@/server/auth/gate';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Response {
  if (crossSite(request)) return Response.json({ error: { code: 'cross_site', message: 'log out from this site' } }, { status: 403 });
  return new Response(null, {
    status: 303,
    headers: { location: '/login', 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` },
  });
}
