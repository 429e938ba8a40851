// Next's request gate (proxy.ts, formerly middleware): every page and route passes here first.
// The decision is server/auth/gate.ts; this only adapts the request and the answer.
import { NextResponse, type NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { decide } from '@/server/auth/gate';

export function proxy(request: NextRequest): NextResponse {
  const decision = decide(
    authConfig(),
    {
      path: request.nextUrl.pathname,
      target: `${request.nextUrl.pathname}${request.nextUrl.search}`,
      header: (name) => request.headers.get(name),
      cookie: (name) => request.cookies.get(name)?.value,
    },
    Date.now(),
  );
  if (decision.allow) return NextResponse.next();
  if ('status' in decision) {
    return NextResponse.json({ error: { code: 'unauthorized', message: 'sign in first (POST /api/auth/login), or come through the authenticating proxy' } }, { status: 401 });
  }
  return NextResponse.redirect(new URL(decision.redirect, request.url), 303);
}

export const config = {
  // Static build assets stay public: the login page needs them, and they hold no log data.
  // Everything else, the image optimizer included, passes the gate.
  matcher: ['/((?!_next/static/|favicon.ico).*)'],
};
