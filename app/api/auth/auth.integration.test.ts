// Access control on the real server: built-in users with a session cookie, and a trusted header
// from an authenticating proxy. Unauthenticated API calls get 401, the page a redirect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/server/auth/passwords';
import { batch, lines, sourceMeta } from '@/server/testing/batches';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { tempDir } from '@/server/testing/temp-dir';

const SECRET = 'a-session-secret-for-the-test-of-forty-chars';
let users: ServerProcess;
let proxied: ServerProcess;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const [a, b] = await Promise.all([tempDir(), tempDir()]);
  cleanups.push(a.cleanup, b.cleanup);
  const hashes = `alice:${await hashPassword('correct horse')}\nbob:${await hashPassword('battery staple')}`;
  [users, proxied] = await Promise.all([
    startServer({ LOGPOND_DATA_DIR: a.dir, LOGPOND_DEMO: '0', LOGPOND_AUTH_USERS: hashes, LOGPOND_SESSION_SECRET: SECRET }),
    startServer({ LOGPOND_DATA_DIR: b.dir, LOGPOND_DEMO: '0', LOGPOND_AUTH_PROXY_HEADER: 'X-Forwarded-User' }),
  ]);
});
afterAll(async () => {
  await Promise.all([users?.stop(), proxied?.stop()]);
  await Promise.all(cleanups.map((c) => c()));
});

const noFollow = { redirect: 'manual' } as const;

async function ingestLine(message: string, offset: number) {
  const body = batch(lines({ source: 'tailed', file: 'tailed:1', firstOffset: offset, count: 1, startMs: Date.now(), message: () => message }), [sourceMeta('tailed')]);
  const response = await fetch(`${users.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

function login(user: string, password: string, next = '/?q=error') {
  return fetch(`${users.url}/api/auth/login`, { ...noFollow, method: 'POST', body: new URLSearchParams({ user, password, next }) });
}

describe('built-in users', () => {
  it('answers the API with 401 and sends the page to the login, health and ingest staying reachable', async () => {
    const api = await fetch(`${users.url}/api/search?q=x`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const page = await fetch(`${users.url}/?q=error`, noFollow);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/\/login\?next=%2F%3Fq%3Derror$/);
    const form = await fetch(`${users.url}/login?next=%2F%3Fq%3Derror`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('action="/api/auth/login"');
    expect((await fetch(`${users.url}/api/healthz`)).status).toBe(200);
    // Ingest keeps its own guard (loopback or token), not the session.
    expect((await fetch(`${users.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
  });

  it('signs in with the right password only, and the cookie opens the page and the API', async () => {
    const wrong = await login('alice', 'wrong horse');
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toMatch(/^\/login\?error=1&next=/);
    // The name typed goes back to the form in a cookie of the login page's own, never in the URL.
    expect(wrong.headers.get('location')).not.toContain('alice');
    expect(wrong.headers.get('set-cookie')).toMatch(/^logpond_login_user=alice; Path=\/login; HttpOnly; SameSite=Strict; Max-Age=60$/);
    expect((await login('nobody', 'correct horse')).headers.get('set-cookie')).not.toMatch(/logpond_session/);

    const right = await login('alice', 'correct horse');
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/?q=error');
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^logpond_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    const session = cookie.split(';')[0];
    expect((await fetch(`${users.url}/api/search?q=x`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${users.url}/`, { ...noFollow, headers: { cookie: session } })).status).toBe(200);
    // A cookie edited to name another user is refused.
    const [name, rest] = session.split('=');
    const [, expires, signature] = rest.split('.');
    const forged = `${name}=${Buffer.from('bob').toString('base64url')}.${expires}.${signature}`;
    expect((await fetch(`${users.url}/api/search?q=x`, { headers: { cookie: forged } })).status).toBe(401);
  });

  it('refuses a sign-in posted from another site, and a flood answers 429 to scripts and the login page saying why to the form, never 500', async () => {
    const body = new URLSearchParams({ user: 'alice', password: 'correct horse' });
    const attempts: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }, { origin: 'not a url' }];
    for (const headers of attempts) {
      const response = await fetch(`${users.url}/api/auth/login`, { ...noFollow, method: 'POST', headers, body });
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect((await response.json()).error.code).toBe('cross_site');
    }
    const scripted = () => fetch(`${users.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: 'wrong horse' }) });
    const answers = await Promise.all(Array.from({ length: 12 }, scripted));
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const busy = answers.find((r) => r.status === 429);
    expect(busy?.headers.get('retry-after')).toBe('1');
    expect((await busy?.json()).error.code).toBe('busy');
    // The page's own form, flooded, goes back to the login page with the reason.
    const forms = await Promise.all(Array.from({ length: 12 }, () => login('alice', 'wrong horse')));
    expect(forms.every((r) => r.status === 303)).toBe(true);
    expect(forms.map((r) => r.headers.get('location'))).toContain('/login?error=busy');
  });

  it('never sends a signed-in user to another site, and logs out', async () => {
    const offsite = await login('bob', 'battery staple', 'https://evil.example/');
    expect(offsite.headers.get('location')).toBe('/');
    for (const next of ['/.//evil.example', '/..//evil.example', '/x/..//evil.example', '/%2e//evil.example', '/%2e%2e//evil.example']) {
      expect((await login('bob', 'battery staple', next)).headers.get('location')).toBe('/');
    }
    const json = await fetch(`${users.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'bob', password: 'nope' }) });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ error: { code: 'bad_credentials', message: 'unknown user or wrong password' } });
    const out = await fetch(`${users.url}/api/auth/logout`, { ...noFollow, method: 'POST' });
    expect(out.headers.get('set-cookie')).toMatch(/^logpond_session=; .*Max-Age=0/);
  });
});

describe('sessions and the headers behind the sign-in', () => {
  async function signedIn(): Promise<string> {
    return (await login('alice', 'correct horse')).headers.get('set-cookie')!.split(';')[0];
  }

  it('names the signed-in user and how they signed in (GET /api/auth/account)', async () => {
    const stranger = await fetch(`${users.url}/api/auth/account`);
    expect(stranger.status).toBe(401);
    const session = await signedIn();
    const account = await fetch(`${users.url}/api/auth/account`, { headers: { cookie: session } });
    expect(account.status).toBe(200);
    expect(account.headers.get('cache-control')).toBe('private, no-store');
    expect(await account.json()).toEqual({ user: 'alice', signIn: 'session' });
  });

  it('sends a signed-in user who opens the login page on to where it was asked to go', async () => {
    const next = encodeURIComponent('/?q=error');
    const form = await fetch(`${users.url}/login?next=${next}`, { ...noFollow, headers: { cookie: await signedIn() } });
    expect(form.status).toBe(307);
    expect(form.headers.get('location')).toBe('/?q=error');
    const away = await fetch(`${users.url}/login?next=${encodeURIComponent('//evil.example/')}`, { ...noFollow, headers: { cookie: await signedIn() } });
    expect(away.headers.get('location')).toBe('/');
    const proxiedForm = await fetch(`${proxied.url}/login?next=${next}`, { ...noFollow, headers: { 'x-forwarded-user': 'carol@example.com' } });
    expect(proxiedForm.headers.get('location')).toBe('/?q=error');
    // Without a session the form is there.
    expect((await fetch(`${users.url}/login?next=${next}`, noFollow)).status).toBe(200);
  });

  it('ends the session at logout: a copy of the cookie opens nothing afterwards', async () => {
    const session = await signedIn();
    expect((await fetch(`${users.url}/api/search?q=x`, { headers: { cookie: session } })).status).toBe(200);
    const out = await fetch(`${users.url}/api/auth/logout`, { ...noFollow, method: 'POST', headers: { cookie: session } });
    expect(out.status).toBe(303);
    expect((await fetch(`${users.url}/api/search?q=x`, { headers: { cookie: session } })).status).toBe(401);
    expect((await fetch(`${users.url}/`, { ...noFollow, headers: { cookie: session } })).status).toBe(303);
    // Signing in again works.
    expect((await fetch(`${users.url}/api/search?q=x`, { headers: { cookie: await signedIn() } })).status).toBe(200);
  });

  it('ends the live tails opened with a session once its user signs out, with an unauthorized event and nothing after', async () => {
    const session = await signedIn();
    /** A tail of `q` read as it arrives; `until` resolves once `done` holds or the stream ends. */
    const open = async (q: string) => {
      const controller = new AbortController();
      const response = await fetch(`${users.url}/api/tail?q=${encodeURIComponent(q)}`, { headers: { cookie: session }, signal: controller.signal });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const stream = { text: '', ended: false, close: () => controller.abort() };
      const until = async (done: () => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!done() && !stream.ended) {
          if (Date.now() > deadline) throw new Error(`waited in vain; the stream so far: ${stream.text}`);
          const chunk = await reader.read();
          if (chunk.done) stream.ended = true;
          else stream.text += new TextDecoder().decode(chunk.value);
        }
      };
      return { stream, until };
    };
    const busy = await open('tailed');
    const quiet = await open('nothing-matches-this');
    try {
      await busy.until(() => busy.stream.text.includes(': tailing'));
      await quiet.until(() => quiet.stream.text.includes(': tailing'));
      await ingestLine('tailed before sign-out', 0);
      await busy.until(() => busy.stream.text.includes('tailed before sign-out'));
      expect((await fetch(`${users.url}/api/auth/logout`, { ...noFollow, method: 'POST', headers: { cookie: session } })).status).toBe(303);
      await ingestLine('tailed after sign-out', 1);
      // The one that gets lines, and the one that gets none: both end within a second or so.
      await busy.until(() => false);
      await quiet.until(() => false);
    } finally {
      busy.stream.close();
      quiet.stream.close();
    }
    expect(busy.stream.text).toContain('tailed before sign-out');
    expect(busy.stream.text).not.toContain('tailed after sign-out');
    for (const { stream } of [busy, quiet]) {
      const last = stream.text.trim().split('\n\n').at(-1)!;
      expect(last).toMatch(/^event: error\ndata: /);
      expect(JSON.parse(last.split('\n')[1].slice('data: '.length)).code).toBe('unauthorized');
    }
    // Neither keeps reading the store for a session that is over.
    const tails = async () => (await (await fetch(`${users.url}/api/metrics`)).text()).match(/^logpond_tail_streams (\d+)$/m)?.[1];
    await expect.poll(tails, { timeout: 10_000 }).toBe('0');
    // Opened again with that cookie (as EventSource reconnects), the tail is refused.
    expect((await fetch(`${users.url}/api/tail?q=tailed`, { headers: { cookie: session } })).status).toBe(401);
  });

  it('lets no shared cache keep a signed-in page, runs only scripts with the nonce of the response, and adds HSTS behind TLS', async () => {
    const session = await signedIn();
    const nonces: string[] = [];
    for (const path of ['/', '/api/search?q=x', '/login']) {
      const response = await fetch(`${users.url}${path}`, { headers: { cookie: session } });
      expect({ path, status: response.status, cacheControl: response.headers.get('cache-control') }).toEqual({ path, status: 200, cacheControl: 'private, no-store' });
      const policy = response.headers.get('content-security-policy')!;
      const scriptSrc = policy.split('; ').find((d) => d.startsWith('script-src '))!;
      expect(scriptSrc).not.toContain('unsafe-inline');
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
      nonces.push(nonce);
      if (path === '/') {
        const html = await response.text();
        const scripts = html.match(/<script\b[^>]*>/g)!;
        expect(scripts.length).toBeGreaterThan(0);
        for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
      }
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    expect(new Set(nonces).size).toBe(nonces.length);
    const tls = await fetch(`${users.url}/`, { headers: { cookie: session, 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('answers /_next/image with 404, not 500', async () => {
    const session = await signedIn();
    const image = await fetch(`${users.url}/_next/image?url=%2Fscreenshot.png&w=640&q=75`, { headers: { cookie: session } });
    expect(image.status).toBe(404);
  });
});

describe('listening beyond loopback', () => {
  it('refuses to start with no sign-in configured, unless LOGPOND_AUTH=none says it is on purpose', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    await expect(startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0', LOGPOND_HOST: '0.0.0.0' })).rejects.toThrow(/LOGPOND_AUTH_USERS: listening on 0\.0\.0\.0 with no sign-in/);
  });
});

describe('an authenticating proxy in front (LOGPOND_AUTH_PROXY_HEADER)', () => {
  it('lets through what carries the header, and nothing else', async () => {
    expect((await fetch(`${proxied.url}/api/search?q=x`)).status).toBe(401);
    expect((await fetch(`${proxied.url}/`, noFollow)).status).toBe(303);
    expect((await fetch(`${proxied.url}/api/search?q=x`, { headers: { 'x-forwarded-user': 'carol@example.com' } })).status).toBe(200);
  });

  it('names the user the proxy vouches for, who signs out at the proxy', async () => {
    expect((await fetch(`${proxied.url}/api/auth/account`)).status).toBe(401);
    const account = await fetch(`${proxied.url}/api/auth/account`, { headers: { 'x-forwarded-user': 'carol@example.com' } });
    expect(await account.json()).toEqual({ user: 'carol@example.com', signIn: 'proxy' });
  });
});
