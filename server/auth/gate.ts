// The decision the proxy makes for every request: let it through, answer 401, or send the
// browser to the login page. Pure, so it is tested without a server.
import type { AuthConfig } from './auth-config';
import { SESSION_COOKIE, verifySession } from './session';

export type GateDecision = { allow: true; user?: string } | { allow: false; status: 401 } | { allow: false; redirect: string };

// Reachable without a session: the login itself, liveness, ingest (it has its own bearer
// token), and Prometheus (a scraper cannot sign in; the metrics hold counts, no log text).
const PUBLIC_PATHS = new Set(['/login', '/api/auth/login', '/api/auth/logout', '/api/healthz', '/api/ingest', '/api/metrics']);

export interface GateRequest {
  path: string;
  /** Path and query, to come back to after signing in. */
  target: string;
  header(name: string): string | null;
  cookie(name: string): string | undefined;
  /** The socket address Logpond's server vouched for (server/http/peer.ts). */
  peer(): string | undefined;
}

export function decide(config: AuthConfig, request: GateRequest, nowMs: number): GateDecision {
  if (config.open || PUBLIC_PATHS.has(request.path)) return { allow: true };
  // The header is believed only from the proxy's own address: anyone else can write it too.
  const proxied = config.proxyHeader && config.isProxy(request.peer()) ? request.header(config.proxyHeader)?.trim() : undefined;
  if (proxied) return { allow: true, user: proxied };
  const user = signedInUser(config, request.cookie(SESSION_COOKIE), nowMs);
  if (user !== undefined) return { allow: true, user };
  if (request.path.startsWith('/api/')) return { allow: false, status: 401 };
  return { allow: false, redirect: `/login?next=${encodeURIComponent(request.target)}` };
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
