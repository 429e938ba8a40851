// POST /api/auth/login: a built-in user signs in. The login page posts its form here (a plain
// form, so it works before any script loads); scripts may post JSON and get JSON back.
import { authConfig } from '@/server/auth/auth-config';
import { crossSite, safeNext, sessionBinding } from '@/server/auth/gate';
import { randomBytes } from 'node:crypto';
import { hashPassword, parsePasswordHash, verifyPassword, type PasswordHash } from '@/server/auth/passwords';
import { sessionCookieHeader, SESSION_MS, signSession } from '@/server/auth/session';
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
  if (crossSite(request)) {
    return Response.json({ error: { code: 'cross_site', message: 'sign in from this site\'s own login page' } }, { status: 403 });
  }
  if (inFlight >= MAX_CONCURRENT_LOGINS) {
    // scrypt runs on the thread pool DuckDB uses too: a flood of logins must not stall queries.
    return Response.json({ error: { code: 'busy', message: 'too many sign-ins at once; try again' } }, { status: 429, headers: { 'retry-after': '1' } });
  }
  inFlight++;
  try {
    return await login(request);
  } finally {
    inFlight--;
  }
}

async function login(request: Request): Promise<Response> {
  const json = (request.headers.get('content-type') ?? '').includes('application/json');
  let user = '';
  let password = '';
  let next = '/';
  try {
    const fields = json ? ((await request.json()) as Record<string, unknown>) : Object.fromEntries(await request.formData());
    user = String(fields.user ?? '').slice(0, MAX_FIELD_CHARS);
    password = String(fields.password ?? '').slice(0, MAX_FIELD_CHARS);
    next = safeNext(String(fields.next ?? '/'));
  } catch {
    return Response.json({ error: { code: 'invalid_body', message: 'expected a form or JSON with user and password' } }, { status: 400 });
  }
  const config = authConfig();
  const stored = config.users.get(user);
  // An unknown user costs the same scrypt as a known one, so timing does not tell names apart.
  const ok = (await verifyPassword(password, stored ?? (await unknownUserHash()))) && stored !== undefined;
  if (!ok) {
    // A pause per failure makes guessing slow without locking a real user out.
    await new Promise((resolve) => setTimeout(resolve, FAILURE_DELAY_MS));
    if (json) return Response.json({ error: { code: 'bad_credentials', message: 'unknown user or wrong password' } }, { status: 401 });
    return redirect(`/login?error=1&next=${encodeURIComponent(next)}`);
  }
  const cookie = sessionCookieHeader(signSession(user, config.sessionSecret, Date.now(), sessionBinding(config, user)), SESSION_MS / 1000, servedOverTls(request.headers, request.url));
  const response = json ? Response.json({ user }) : redirect(next);
  response.headers.append('set-cookie', cookie);
  return response;
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
