// The session cookie: `<user, base64url>.<expiry, epoch ms>.<HMAC-SHA256 of both, base64url>`.
// Signed, not encrypted: it holds only the user name, and nothing in it is secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'logpond_session';
/** A working day; signing in again after it is cheap, a stolen cookie lasting a week is not. */
export const SESSION_MS = 12 * 60 * 60 * 1000;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * `binding` is signed but not sent: the user's password salt, so a new password (a new hash)
 * ends the sessions signed before it.
 */
export function signSession(user: string, secret: string, nowMs: number, binding = ''): string {
  const payload = `${Buffer.from(user).toString('base64url')}.${nowMs + SESSION_MS}`;
  return `${payload}.${mac(secret, `${payload}.${binding}`)}`;
}

/**
 * The signed-in user, or undefined for a missing, forged or expired cookie, one whose user
 * `bindingOf` no longer knows (undefined) or whose password changed since, or one signed before
 * its user logged out (`ended`).
 */
/** When a session cookie was signed (epoch ms), read from its expiry; undefined if it is not one. Unverified. */
export function sessionSignedAt(cookie: string | undefined): number | undefined {
  const expires = cookie?.split('.')[1];
  return expires !== undefined && /^\d+$/.test(expires) ? Number(expires) - SESSION_MS : undefined;
}

export function verifySession(
  cookie: string | undefined,
  secret: string,
  nowMs: number,
  bindingOf: (user: string) => string | undefined = () => '',
  ended: (user: string, signedAtMs: number) => boolean = () => false,
): string | undefined {
  if (!cookie) return undefined;
  const parts = cookie.split('.');
  if (parts.length !== 3) return undefined;
  const [user, expires, signature] = parts;
  const binding = bindingOf(Buffer.from(user, 'base64url').toString('utf8'));
  if (binding === undefined) return undefined;
  const expected = Buffer.from(mac(secret, `${user}.${expires}.${binding}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (!/^\d+$/.test(expires) || Number(expires) <= nowMs) return undefined;
  const name = Buffer.from(user, 'base64url').toString('utf8');
  return ended(name, Number(expires) - SESSION_MS) ? undefined : name;
}

/** The Set-Cookie value for a session: script-proof, sent on same-site navigations only. */
export function sessionCookieHeader(value: string, maxAgeSeconds: number, isSecure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${isSecure ? '; Secure' : ''}`;
}

/**
 * The user name of a failed sign-in, for the form to show again (only the password is asked
 * again). A cookie for the login page alone, for a minute: in the URL it would reach the
 * browser's history and access logs, with a password typed into the wrong box.
 */
export const LOGIN_USER_COOKIE = 'logpond_login_user';

export function loginUserCookieHeader(user: string, isSecure: boolean): string {
  return `${LOGIN_USER_COOKIE}=${encodeURIComponent(user)}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=60${isSecure ? '; Secure' : ''}`;
}
