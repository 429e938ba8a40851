// Next's request gate (proxy.ts, formerly middleware): every page and route passes here first.
// The decision is server/auth/gate.ts; this only adapts the request and the answer, and sets the
// per-request security headers (server/http/security-headers.ts).
import { randomBytes } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { decide, gateRequestOf } from '@/server/auth/gate';
import { CACHE_CONTROL, contentSecurityPolicy, servedOverTls, STRICT_TRANSPORT_SECURITY } from '@/server/http/security-headers';

const development = process.env.NODE_ENV === 'development';

export function proxy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(randomBytes(16).toString('base64'), development);
  const response = answer(request, policy);
  response.headers.set('content-security-policy', policy);
  response.headers.set('cache-control', CACHE_CONTROL);
  if (servedOverTls(request.headers, request.url)) response.headers.set('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  return response;
}

function answer(request: NextRequest, policy: string): NextResponse {
  const decision = decide(authConfig(), gateRequestOf(request), Date.now());
  if (decision.allow) {
    // Next takes the nonce for its own scripts from the request's policy.
    const headers = new Headers(request.headers);
    headers.set('content-security-policy', policy);
    return NextResponse.next({ request: { headers } });
  }
  if ('status' in decision) {
    return NextResponse.json({ error: { code: 'unauthorized', message: 'sign in first (POST /api/auth/login), or come through the authenticating proxy' } }, { status: 401 });
  }
  return NextResponse.redirect(new URL(decision.redirect, request.url), 303);
}

export const config = {
  // Left out: build assets (the login page needs them; no log data in them), and the routes with
  // their own guard or none needed. Ingest (ours and the shippers' protocols) must stay out: Next
  // buffers the body of every request this proxy sees and cuts it at 10 MB, which would turn a
  // 32 MiB batch into a 400.
  matcher: ['/((?!_next/static/|favicon.ico|api/ingest|api/healthz|api/metrics|v1/logs$|loki/api/v1/push$|ready$).*)'],
};
