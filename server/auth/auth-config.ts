// Who may read: everyone (laptop mode), built-in users with a session cookie, or whoever an
// authenticating proxy in front names in a header. Read from the environment once per process.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadServerConfig } from '../config';
import { ConfigError } from '../errors';
import { isLoopback } from '../http/peer';
import { ENDED_SESSIONS_FILE, EndedSessions } from './ended-sessions';
import { parsePasswordHash, type PasswordHash } from './passwords';

export interface AuthConfig {
  /** user → password hash (LOGPOND_AUTH_USERS); empty when there are none. */
  users: ReadonlyMap<string, PasswordHash>;
  /** Lower-cased header an authenticating proxy sets (LOGPOND_AUTH_PROXY_HEADER). */
  proxyHeader: string | undefined;
  /**
   * Whether a caller is the authenticating proxy: loopback (a sidecar) or an address in
   * LOGPOND_AUTH_PROXY_ADDRESSES. Only its header is believed.
   */
  isProxy(peer: string | undefined): boolean;
  /** HMAC key of the session cookie (LOGPOND_SESSION_SECRET, else random per process). */
  sessionSecret: string;
  /** Neither users nor a proxy header: the page and the read API are open. */
  open: boolean;
  /** LOGPOND_AUTH=none: open on purpose, also beyond loopback. */
  openOnPurpose: boolean;
  /** When each user last logged out; sessions signed before it no longer open anything. */
  endedSessions: EndedSessions;
}

type Env = Readonly<Record<string, string | undefined>>;
const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const MIN_SECRET_CHARS = 32;

/**
 * LOGPOND_AUTH_USERS is `name:<hash>` entries separated by spaces or newlines (a Secret's value),
 * each hash from `npm run hash-password` (the hash holds `$`, `,` and `=`, never `:` or a space).
 */
export function loadAuthConfig(env: Env = process.env, options: { dataDir?: string } = {}): AuthConfig {
  const users = new Map<string, PasswordHash>();
  for (const entry of (env.LOGPOND_AUTH_USERS ?? '').split(/\s+/).filter(Boolean)) {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at);
    if (at <= 0 || !USER_NAME.test(name)) throw new ConfigError('LOGPOND_AUTH_USERS', `expected name:<hash> entries, got "${entry.slice(0, 40)}"`);
    const hash = parsePasswordHash(entry.slice(at + 1));
    if (!hash) throw new ConfigError('LOGPOND_AUTH_USERS', `the hash of "${name}" is not one \`npm run hash-password\` makes`);
    users.set(name, hash);
  }
  const header = env.LOGPOND_AUTH_PROXY_HEADER?.trim() || undefined;
  if (header !== undefined && !HEADER_NAME.test(header)) throw new ConfigError('LOGPOND_AUTH_PROXY_HEADER', `not a header name: "${header}"`);
  const secret = env.LOGPOND_SESSION_SECRET?.trim() || undefined;
  if (secret !== undefined && secret.length < MIN_SECRET_CHARS) {
    throw new ConfigError('LOGPOND_SESSION_SECRET', `must be at least ${MIN_SECRET_CHARS} characters`);
  }
  const proxyAddresses = new Set(
    (env.LOGPOND_AUTH_PROXY_ADDRESSES ?? '').split(/[\s,]+/).filter(Boolean).map((a) => (a.startsWith('::ffff:') ? a.slice(7) : a)),
  );
  const isProxy = (peer: string | undefined) =>
    peer !== undefined && (isLoopback(peer) || proxyAddresses.has(peer.startsWith('::ffff:') ? peer.slice(7) : peer));
  const mode = env.LOGPOND_AUTH?.trim() || undefined;
  if (mode !== undefined && mode !== 'none') throw new ConfigError('LOGPOND_AUTH', `only "none" (no sign-in, on purpose), got "${mode}"`);
  return {
    users,
    proxyHeader: header?.toLowerCase(),
    isProxy,
    sessionSecret: secret ?? processSecret(),
    open: users.size === 0 && header === undefined,
    openOnPurpose: mode === 'none',
    endedSessions: new EndedSessions(options.dataDir && path.join(/* turbopackIgnore: true */ options.dataDir, ENDED_SESSIONS_FILE)),
  };
}

/**
 * Without LOGPOND_SESSION_SECRET, one random key per process, shared through globalThis: the
 * proxy and the login route are separate bundles, and must sign and check with the same key.
 * Sessions then end when the server restarts.
 */
function processSecret(): string {
  const key = Symbol.for('logpond.sessionSecret');
  const store = globalThis as Record<symbol, string | undefined>;
  return (store[key] ??= randomBytes(32).toString('base64url'));
}

/** The auth config of this process, parsed on first use. */
export function authConfig(): AuthConfig {
  const key = Symbol.for('logpond.authConfig');
  const store = globalThis as Record<symbol, AuthConfig | undefined>;
  return (store[key] ??= loadAuthConfig(process.env, { dataDir: loadServerConfig().dataDir }));
}
