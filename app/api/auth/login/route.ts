// POST /api/auth/login: a built-in user signs in. The login page posts its form here (a plain
// form, so it works before any script loads); scripts may post JSON and get JSON back.
import { authConfig } from '@/server/auth/auth-config';
import { crossSite, safeNext, sessionBinding } from '@/server/auth/gate';
import { randomBytes } from 'node:crypto';
import { hashPassword, parsePasswordHash, verifyPassword, type PasswordHash } from '@/server/auth/passwords';
import { loginUserCookieHeader, sessionCookieHeader, SESSION_MS, signSession } from '@/server/auth/session';
import { BadRequestError, ForbiddenError, LogpondError, TooManyRequestsError, UnauthorizedError } from '@/server/errors';
import { toErrorResponse } from '@/server/http/error-response';
import { servedOverTls } from '@/server/http/security-headers';

export const dynamic = 'force-dynamic';

const MAX_FIELD_CHARS = 1024;
const FAILURE_DELAY_MS = 500;
const MAX_CONCURRENT_LOGINS = 4;
let inFlight = 0;

let unknownUser: Promise<PasswordHash> | undefined;
function unknownUserHash(): Promise<PasswordHash> {
  unknownUser ??= hashPassword(randomBytes(16).toString('hex')).then((text) => parsePasswordHash(text)!);
  return unknownUser;
}

export async function POST(request: Request): Promise<Response> {
  try {
    if (crossSite(request)) throw new ForbiddenError("sign in from this site's own login page", 'cross_site');
    // scrypt runs on the thread pool DuckDB uses too: a flood of logins must not stall queries.
    if (inFlight >= MAX_CONCURRENT_LOGINS) throw new TooManyRequestsError('too many sign-ins at once; try again', 'busy', 1);
    inFlight++;
    try {
      return await login(request);
    } finally {
      inFlight--;
    }
  } catch (err) {
    // The page's own form (no script) gets the login page again, saying why; scripts get JSON.
    const code = err instanceof LogpondError ? err.code : undefined;
    if (!wantsJson(request) && code !== undefined && LOGIN_PAGE_ERRORS.has(code)) return redirect(`/login?error=${code}`);
    return toErrorResponse(err);
  }
}

/**
 * Refusals the login page explains (app/login/page.tsx). A form from another site is no user's
 * (login CSRF): it keeps the API's 403.
 */
const LOGIN_PAGE_ERRORS = new Set(['busy', 'invalid_body']);

function wantsJson(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').includes('application/json');
}

async function login(request: Request): Promise<Response> {
  const json = wantsJson(request);
  let user = '';
  let password = '';
  let next = '/';
  try {
    const fields = json ? ((await request.json()) as Record<string, unknown>) : Object.fromEntries(await request.formData());
    user = String(fields.user ?? '').slice(0, MAX_FIELD_CHARS);
    password = String(fields.password ?? '').slice(0, MAX_FIELD_CHARS);
    next = safeNext(String(fields.next ?? '/'));
  } catch {
    throw new BadRequestError('expected a form or JSON with user and password', 'invalid_body');
  }
  const config = authConfig();
  const stored = config.users.get(user);
  // An unknown user costs the same scrypt as a known one, so timing does not tell names apart.
  const ok = (await verifyPassword(password, stored ?? (await unknownUserHash()))) && stored !== undefined;
  if (!ok) {
    // A pause per failure makes guessing slow without locking a real user out.
    await new Promise((resolve) => setTimeout(resolve, FAILURE_DELAY_MS));
    if (json) throw new UnauthorizedError('unknown user or wrong password', 'bad_credentials');
    const again = redirect(`/login?error=1&next=${encodeURIComponent(next)}`);
    again.headers.append('set-cookie', loginUserCookieHeader(user, servedOverTls(request.headers, request.url)));
    return again;
  }
  const cookie = sessionCookieHeader(signSession(user, config.sessionSecret, Date.now(), sessionBinding(config, user)), SESSION_MS / 1000, servedOverTls(request.headers, request.url));
  const response = json ? Response.json({ user }) : redirect(next);
  response.headers.append('set-cookie', cookie);
  return response;
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
