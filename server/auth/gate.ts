// The decision the proxy makes for every request: let it through, answer 401, or send the
// browser to the login page. Pure, so it is tested without a server.
import type { AuthConfig } from './auth-config';
import { peerAddress } from '../http/peer';
import { SESSION_COOKIE, verifySession } from './session';

export type GateDecision = { allow: true; user?: string } | { allow: false; status: 401 } | { allow: false; redirect: string };

// Reachable without a session: the login itself, liveness, ingest (it has its own bearer
// token), and Prometheus (a scraper cannot sign in; the metrics hold counts, no log text).
const PUBLIC_PATHS = new Set(['/login', '/api/auth/login', '/api/auth/logout', '/api/healthz', '/api/ingest', '/api/metrics', '/v1/logs', '/loki/api/v1/push', '/ready']);

export interface GateRequest {
  path: string;
  /** Path and query, to come back to after signing in. */
  target: string;
  header(name: string): string | null;
  cookie(name: string): string | undefined;
  /** The socket address Logpond's server vouched for (server/http/peer.ts). */
  peer(): string | undefined;
}

/** The parts of a Next request the gate reads (structurally, so server/ needs no Next import). */
export interface IncomingRequest {
  nextUrl: { pathname: string; search: string };
  headers: Headers;
  cookies: { get(name: string): { value: string } | undefined };
}

export function gateRequestOf(request: IncomingRequest): GateRequest {
  return {
    path: request.nextUrl.pathname,
    target: `${request.nextUrl.pathname}${request.nextUrl.search}`,
    header: (name) => request.headers.get(name),
    peer: () => peerAddress(request.headers),
    cookie: (name) => request.cookies.get(name)?.value,
  };
}

export function decide(config: AuthConfig, request: GateRequest, nowMs: number): GateDecision {
  if (config.open || PUBLIC_PATHS.has(request.path)) return { allow: true };
  const user = visitor(config, request, nowMs);
  if (user !== undefined) return { allow: true, user };
  if (request.path.startsWith('/api/')) return { allow: false, status: 401 };
  return { allow: false, redirect: `/login?next=${encodeURIComponent(request.target)}` };
}

/** Who is signed in, on any path: the user the proxy vouches for, or a valid session's. */
export function visitor(config: AuthConfig, request: Pick<GateRequest, 'header' | 'cookie' | 'peer'>, nowMs: number): string | undefined {
  // The header is believed only from the proxy's own address: anyone else can write it too.
  const proxied = config.proxyHeader && config.isProxy(request.peer()) ? request.header(config.proxyHeader)?.trim() : undefined;
  if (proxied) return proxied;
  return signedInUser(config, request.cookie(SESSION_COOKIE), nowMs);
}

/**
 * Who is asking, for data kept per user (saved searches): the user the gate lets through — a
 * verified session or the authenticating proxy's header from the proxy's own address, exactly
 * as `decide` judges them, so nothing a client writes can name someone else — or '' when sign-in
 * is off (everyone is the same anonymous user). Undefined when nobody is signed in.
 */
export function requestUser(config: AuthConfig, request: GateRequest, nowMs: number): string | undefined {
  if (config.open) return '';
  const decision = decide(config, request, nowMs);
  return decision.allow ? decision.user : undefined;
}

/** The user a session cookie names, if it is valid, theirs, and not ended by a logout. */
export function signedInUser(config: AuthConfig, cookie: string | undefined, nowMs: number): string | undefined {
  return verifySession(
    cookie,
    config.sessionSecret,
    nowMs,
    (name) => sessionBinding(config, name),
    (name, signedAtMs) => config.endedSessions.ended(name, signedAtMs),
  );
}

/** What a user's session is bound to (see signSession); undefined for a user not configured. */
export function sessionBinding(config: AuthConfig, user: string): string | undefined {
  return config.users.get(user)?.salt.toString('base64');
}

const BASE = 'http://logpond.invalid';

/**
 * Where to go after signing in: a path on this site, never another origin. Parsed the way a
 * browser would (it drops tabs and newlines, reads `\\` as `/`), so `/\t/evil.example` is not
 * taken for a path. The check runs on the normalised path, not the text: `/.//evil.example` and
 * `/%2e%2e//evil.example` normalise to `//evil.example`, which a browser reads as another host.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || /[\u0000-\u001f\\]/.test(next)) return '/';
  try {
    const url = new URL(next, BASE);
    if (url.origin !== BASE) return '/';
    const path = `${url.pathname}${url.search}`;
    // One leading slash, and the answer must mean the same when the browser resolves it again.
    if (!path.startsWith('/') || path.startsWith('//') || new URL(path, BASE).origin !== BASE) return '/';
    return path;
  } catch {
    return '/';
  }
}

/** A form posted from another site (login CSRF): browsers say so in Sec-Fetch-Site or Origin. */
export function crossSite(request: { headers: Headers }): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  try {
    return new URL(origin).host !== request.headers.get('host');
  } catch {
    return true; // `null` (a sandboxed page) or garbage: not this site
  }
}
