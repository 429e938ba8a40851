import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { tempDir } from '../testing/temp-dir';
import { loadAuthConfig } from './auth-config';
import { decide, requestUser, safeNext, sessionBinding, type GateRequest } from './gate';
import { hashPassword, parsePasswordHash, verifyPassword } from './passwords';
import { SESSION_COOKIE, SESSION_MS, signSession, verifySession } from './session';

const SECRET = 's'.repeat(40);

function request(path: string, extra: { header?: Record<string, string>; cookie?: string; peer?: string } = {}): GateRequest {
  return {
    path,
    target: path,
    header: (name) => extra.header?.[name] ?? null,
    cookie: (name) => (name === SESSION_COOKIE ? extra.cookie : undefined),
    peer: () => extra.peer,
  };
}

describe('passwords', () => {
  it('verifies the password a hash was made from, and nothing else', async () => {
    const stored = parsePasswordHash(await hashPassword('correct horse'))!;
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct hors', stored)).toBe(false);
    expect(parsePasswordHash('$scrypt$N=1000,r=8,p=1$AAAA$AAAA')).toBeUndefined(); // N not a power of two
    expect(parsePasswordHash('plain text')).toBeUndefined();
  });
});

describe('session cookie', () => {
  it('names its user until it expires, and refuses a forged or altered one', () => {
    const cookie = signSession('alice', SECRET, 1_000);
    expect(verifySession(cookie, SECRET, 2_000)).toBe('alice');
    expect(verifySession(cookie, SECRET, 1_000 + SESSION_MS)).toBeUndefined();
    expect(verifySession(cookie, 'another secret of forty characters........', 2_000)).toBeUndefined();
    const [, expires, signature] = cookie.split('.');
    expect(verifySession(`${Buffer.from('admin').toString('base64url')}.${expires}.${signature}`, SECRET, 2_000)).toBeUndefined();
    expect(verifySession('a.b', SECRET, 2_000)).toBeUndefined();
  });
});

describe('the gate', () => {
  it('is open without users or a proxy header', () => {
    expect(decide(loadAuthConfig({}), request('/api/search'), 0)).toEqual({ allow: true });
  });

  it('answers 401 to the API and sends the page to the login, but lets health, ingest and login through', async () => {
    const config = loadAuthConfig({ LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')}`, LOGPOND_SESSION_SECRET: SECRET });
    expect(decide(config, request('/api/search'), 0)).toEqual({ allow: false, status: 401 });
    expect(decide(config, { ...request('/'), target: '/?q=error' }, 0)).toEqual({ allow: false, redirect: '/login?next=%2F%3Fq%3Derror' });
    for (const open of ['/login', '/api/auth/login', '/api/healthz', '/api/ingest', '/v1/logs', '/loki/api/v1/push', '/ready']) expect(decide(config, request(open), 0).allow).toBe(true);
    const alice = signSession('alice', SECRET, 0, sessionBinding(config, 'alice'));
    expect(decide(config, request('/api/search', { cookie: alice }), 1)).toEqual({ allow: true, user: 'alice' });
    // A valid signature for a user who is no longer configured does not open the door...
    expect(decide(config, request('/api/search', { cookie: signSession('mallory', SECRET, 0) }), 1).allow).toBe(false);
    // ...nor one signed before alice's password changed.
    const changed = loadAuthConfig({ LOGPOND_AUTH_USERS: `alice:${await hashPassword('new horse')}`, LOGPOND_SESSION_SECRET: SECRET });
    expect(decide(changed, request('/api/search', { cookie: alice }), 1).allow).toBe(false);
  });

  it('refuses a session signed before its user logged out, also after a restart, and lets a new sign-in in', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const env = { LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')} bob:${await hashPassword('battery staple')}`, LOGPOND_SESSION_SECRET: SECRET };
      const config = loadAuthConfig(env, { dataDir: dir });
      const cookie = (user: string, at: number) => signSession(user, SECRET, at, sessionBinding(config, user));
      const [alice, bob] = [cookie('alice', 1_000), cookie('bob', 1_000)];
      expect(decide(config, request('/api/search', { cookie: alice }), 2_000).allow).toBe(true);
      config.endedSessions.end('alice', 3_000);
      expect(decide(config, request('/api/search', { cookie: alice }), 4_000)).toEqual({ allow: false, status: 401 });
      expect(decide(config, request('/api/search', { cookie: bob }), 4_000)).toEqual({ allow: true, user: 'bob' });
      expect(decide(config, request('/api/search', { cookie: cookie('alice', 5_000) }), 6_000)).toEqual({ allow: true, user: 'alice' });
      // The same secret after a restart: the logout still holds.
      const restarted = loadAuthConfig(env, { dataDir: dir });
      expect(decide(restarted, request('/api/search', { cookie: alice }), 4_000).allow).toBe(false);
      expect(decide(restarted, request('/api/search', { cookie: bob }), 4_000).allow).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('trusts the proxy header from the proxy only (a sidecar on loopback, or a listed address)', () => {
    const config = loadAuthConfig({ LOGPOND_AUTH_PROXY_HEADER: 'X-Forwarded-User', LOGPOND_AUTH_PROXY_ADDRESSES: '10.1.2.3' });
    const header = { 'x-forwarded-user': 'bob@example.com' };
    expect(decide(config, request('/api/search', { header, peer: '127.0.0.1' }), 0)).toEqual({ allow: true, user: 'bob@example.com' });
    expect(decide(config, request('/api/search', { header, peer: '::ffff:10.1.2.3' }), 0)).toEqual({ allow: true, user: 'bob@example.com' });
    // Anyone else can write the header too: from them it means nothing.
    expect(decide(config, request('/api/search', { header, peer: '10.9.9.9' }), 0)).toEqual({ allow: false, status: 401 });
    expect(decide(config, request('/api/search', { header }), 0)).toEqual({ allow: false, status: 401 });
    expect(decide(config, request('/api/search', { header: { 'x-forwarded-user': '  ' }, peer: '127.0.0.1' }), 0)).toEqual({ allow: false, status: 401 });
    expect(decide(config, request('/api/search', { header: { 'x-user': 'bob' }, peer: '127.0.0.1' }), 0)).toEqual({ allow: false, status: 401 });
  });

  it('names the user of per-user data as the gate judges them, anonymous when sign-in is off', async () => {
    const path = '/api/saved-searches';
    expect(requestUser(loadAuthConfig({}), request(path, { header: { 'x-forwarded-user': 'bob' }, peer: '127.0.0.1' }), 0)).toBe('');
    const proxied = loadAuthConfig({ LOGPOND_AUTH_PROXY_HEADER: 'X-Forwarded-User' });
    expect(requestUser(proxied, request(path, { header: { 'x-forwarded-user': 'bob' }, peer: '127.0.0.1' }), 0)).toBe('bob');
    expect(requestUser(proxied, request(path, { header: { 'x-forwarded-user': 'bob' }, peer: '10.9.9.9' }), 0)).toBeUndefined();
    const users = loadAuthConfig({ LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')}`, LOGPOND_SESSION_SECRET: SECRET });
    const alice = signSession('alice', SECRET, 0, sessionBinding(users, 'alice'));
    expect(requestUser(users, request(path, { cookie: alice }), 1)).toBe('alice');
    expect(requestUser(users, request(path, { cookie: signSession('bob', SECRET, 0) }), 1)).toBeUndefined();
    expect(requestUser(users, request(path), 1)).toBeUndefined();
  });


  // The browser resolves the Location it gets: what matters is where that lands, not the text.
  it.each([
    ['/?q=a', '/?q=a'],
    ['/a/./b/../c?q=x', '/a/c?q=x'],
    ['/%2f/evil.example', '/%2f/evil.example'], // an encoded slash stays a path on this site
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/.//evil.example', '/'],
    ['/..//evil.example', '/'],
    ['/x/..//evil.example', '/'],
    ['/%2e//evil.example', '/'],
    ['/%2e%2e//evil.example', '/'],
    ['/%2E%2E//evil.example/path?q=1', '/'],
    ['/a/%2e%2e/%2e%2e//evil.example', '/'],
    ['', '/'],
    [undefined, '/'],
  ])('after signing in, next=%j goes to %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
    const location = new URL(safeNext(next), 'http://logpond.example:3000/login');
    expect(location.origin).toBe('http://logpond.example:3000');
  });

  it('refuses settings it cannot use, naming the variable', () => {
    expect(() => loadAuthConfig({ LOGPOND_AUTH_USERS: 'alice:not-a-hash' })).toThrow(ConfigError);
    expect(() => loadAuthConfig({ LOGPOND_AUTH_USERS: 'no-colon' })).toThrow(/LOGPOND_AUTH_USERS/);
    expect(() => loadAuthConfig({ LOGPOND_AUTH_PROXY_HEADER: 'bad header' })).toThrow(/LOGPOND_AUTH_PROXY_HEADER/);
    expect(() => loadAuthConfig({ LOGPOND_SESSION_SECRET: 'short' })).toThrow(/LOGPOND_SESSION_SECRET/);
  });
});
