// POST /api/auth/logout: forgets the session cookie and goes back to the login page.
import { SESSION_COOKIE } from '@/server/auth/session';

export const dynamic = 'force-dynamic';

export function POST(): Response {
  return new Response(null, {
    status: 303,
    headers: { location: '/login', 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` },
  });
}
