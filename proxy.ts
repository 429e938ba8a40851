// Next's request gate (proxy.ts, formerly middleware): every page and route passes here first.
// The decision is server/auth/gate.ts; this only adapts the request and the answer.
import { NextResponse, type NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { decide, gateRequestOf } from '@/server/auth/gate';

export function proxy(request: NextRequest): NextResponse {
  const decision = decide(authConfig(), gateRequestOf(request), Date.now());
  if (decision.allow) return NextResponse.next();
  if ('status' in decision) {
    return NextResponse.json({ error: { code: 'unauthorized', message: 'sign in first (POST /api/auth/login), or come through the authenticating proxy' } }, { status: 401 });
  }
  return NextResponse.redirect(new URL(decision.redirect, request.url), 303);
}

export const config = {
  // Left out: build assets (the login page needs them; no log data in them), and the routes with
  // their own guard or none needed. Ingest must stay out: Next buffers the body of every request
  // this proxy sees and cuts it at 10 MB, which would turn a 32 MiB batch into a 400.
  matcher: ['/((?!_next/static/|favicon.ico|api/ingest|api/healthz|api/metrics).*)'],
};
